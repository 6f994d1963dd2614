/**
 * Agreements: propose, sign, accede (join), suspend, resume, terminate, and the answers the envelope
 * layer asks of them (in force? is this key a party?). Lifecycle (docs/AGREEMENTS.md):
 *
 *   proposed --every party signed--> in force <--> suspended
 *        \__________________________________\________\--> terminated (final)
 *
 * An amendment or accession is a new version of the same agreement, signed again by every party of
 * the new version; until then the previous version stays in force, unchanged. Signatures travel as
 * envelopes (pact.proposal, pact.signature, pact.state) that name no agreement, since they precede
 * or change it; each handler checks that the sender is a party of the document it speaks about.
 */

import {
  type Clock,
  conflict,
  invalid,
  isoMillis,
  notFound,
  ParleyError,
  systemClock,
} from '../core/index.js';
import { type AgreementCheck, fromB64u, type NodeIdentity, toB64u } from '../crypto/index.js';
import type { Database } from '../store/index.js';
import { type Courier, type Delivery, PACT_TYPES } from './courier.js';
import {
  type AgreementDocument,
  type AgreementParty,
  type AgreementTerms,
  agreementIdOf,
  buildDocument,
  signDocument,
  versionHash,
} from './document.js';
import { PactInbound } from './inbound.js';
import { type AgreementState, PactRecords, stateLabel } from './records.js';
import { type Db, eventsOf, getAgreement, getVersion, getVersionDoc, latestVersion } from './store.js';

export { type AgreementState, stateLabel } from './records.js';
export type PartyInfo = Omit<AgreementParty, 'competent_authorities'>;

export interface AgreementView {
  id: string;
  title: string;
  state: AgreementState;
  /** False while an in-force agreement waits for its entry_into_force date. */
  effective: boolean;
  versionInForce: number;
  inForceAt: string | null;
  /** The newest version (may be a pending amendment) with who has signed it. */
  latest: { version: number; hash: string; signedBy: string[]; missing: string[]; doc: AgreementDocument };
  /** The document of the version in force, if any. */
  inForce?: AgreementDocument;
  events: { event: string; by_node: string; version: number; at: string }[];
}

export interface PactsOptions {
  database: Database;
  identity: NodeIdentity;
  /** This node's party name, as written into the documents it proposes. */
  party: string;
  clock?: Clock;
  courier?: Courier;
}

export class Pacts {
  readonly database: Database;
  readonly identity: NodeIdentity;
  readonly clock: Clock;
  courier?: Courier;
  readonly party: string;
  readonly records: PactRecords;
  private readonly inbound: PactInbound;

  constructor(opts: PactsOptions) {
    this.database = opts.database;
    this.identity = opts.identity;
    this.clock = opts.clock ?? systemClock;
    this.courier = opts.courier;
    this.party = opts.party;
    this.records = new PactRecords(this.database, this.identity, this.clock);
    this.inbound = new PactInbound(this.records);
  }

  private get me(): PartyInfo {
    return {
      node: this.identity.nodeId,
      party: this.party,
      signing_key: toB64u(this.identity.signing.publicKey),
      agreement_key: toB64u(this.identity.agreement.publicKey),
    };
  }

  private now = () => isoMillis(this.clock.now());

  private async deliver(to: string[], type: string, payload: unknown): Promise<Delivery[]> {
    if (to.length === 0) return [];
    if (!this.courier)
      throw new ParleyError('pact.no_courier', 'this node has no peer transport configured', 500);
    return this.courier.send({ to, type, agreement: null, payload });
  }

  private others = (doc: AgreementDocument) =>
    doc.parties.map((p) => p.node).filter((n) => n !== this.identity.nodeId);

  /** Proposes a new agreement between this node and `with`, signs it, and sends it to them. */
  async propose(input: { with: PartyInfo[]; terms?: AgreementTerms }) {
    const parties = [this.me, ...input.with.filter((p) => p.node !== this.identity.nodeId)];
    if (parties.length < 2) throw invalid('pact.no_parties', 'an agreement needs at least one other party');
    const doc = buildDocument({
      terms: input.terms ?? {},
      proposer: this.identity.nodeId,
      parties,
      now: this.clock.now(),
    });
    const id = agreementIdOf(doc);
    const sig = signDocument(this.identity, doc);
    await this.database.transaction((tx) => this.records.storeProposal(tx, doc, [sig], this.identity.nodeId));
    const delivery = await this.deliver(this.others(doc), PACT_TYPES.proposal, {
      document: doc,
      signatures: [sig],
    });
    return { id, hash: versionHash(doc), version: 1, delivery };
  }

  /**
   * Accession: a new version of an agreement in force with `newParties` added, signed by this node
   * and sent to every party old and new. It takes effect only when every one of them has signed.
   */
  async join(id: string, newParties: PartyInfo[], terms: AgreementTerms = {}) {
    const row = await this.records.requireAgreement(this.database.db, id);
    if (row.state !== 'in_force')
      throw conflict(
        'pact.not_in_force',
        `agreement ${id} is ${stateLabel(row.state as AgreementState)}; only an agreement in force can be joined`,
      );
    const current = (await getVersion(this.database.db, id, row.version_in_force))!;
    const fresh = newParties.filter((p) => !current.doc.parties.some((q) => q.node === p.node));
    if (fresh.length === 0) throw invalid('pact.no_parties', `every named node is already a party to ${id}`);
    const parties = [...current.doc.parties.map(({ competent_authorities: _c, ...p }) => p), ...fresh];
    return this.amend(id, current.doc, parties, terms);
  }

  /** A new version with the same parties and changed terms (e.g. a new deadline table). */
  async amend(id: string, previous: AgreementDocument, parties: PartyInfo[], terms: AgreementTerms) {
    const latest = (await latestVersion(this.database.db, id))!;
    if (latest.version > previous.version && !latest.completeAt)
      throw conflict('pact.pending_version', `version ${latest.version} of ${id} still waits for signatures`);
    const doc = buildDocument({
      terms,
      proposer: this.identity.nodeId,
      parties,
      now: this.clock.now(),
      previous,
    });
    const sig = signDocument(this.identity, doc);
    await this.database.transaction((tx) => this.records.storeProposal(tx, doc, [sig], this.identity.nodeId));
    const delivery = await this.deliver(this.others(doc), PACT_TYPES.proposal, {
      document: doc,
      signatures: [sig],
      // A joining party has not seen the earlier versions: it gets the one it amends, for the record.
      previous: previous,
    });
    return { id, hash: versionHash(doc), version: doc.version, delivery };
  }

  /**
   * Signs the newest version of `id` if this node has not yet, and (again, harmlessly) sends this
   * node's signature to every other party, so re-running it repairs a delivery that failed.
   */
  async sign(id: string) {
    const v = await latestVersion(this.database.db, this.records.checkId(id));
    if (!v) throw notFound('pact.unknown_agreement', `no agreement ${id} on this node`);
    if (!v.doc.parties.some((p) => p.node === this.identity.nodeId))
      throw invalid('pact.not_a_party', `${this.identity.nodeId} is not a party to ${id}`);
    const row = (await getAgreement(this.database.db, id))!;
    if (row.state === 'terminated') throw conflict('pact.terminated', `agreement ${id} is terminated`);
    const sig = signDocument(this.identity, v.doc);
    await this.database.transaction((tx) => this.records.storeSignature(tx, v, sig));
    const delivery = await this.deliver(this.others(v.doc), PACT_TYPES.signature, {
      agreement: id,
      hash: v.hash,
      signature: sig,
    });
    return { id, version: v.version, delivery, view: await this.show(id) };
  }

  /** Suspends, resumes (state 'in_force') or terminates; any party may, and tells every other party. */
  async setState(id: string, state: 'suspended' | 'in_force' | 'terminated') {
    const row = await this.records.requireAgreement(this.database.db, this.records.checkId(id));
    const current = await getVersion(this.database.db, id, row.version_in_force);
    if (!current) throw conflict('pact.not_in_force', `agreement ${id} has never been in force`);
    const at = this.now();
    await this.database.transaction((tx) => this.records.applyState(tx, id, state, this.identity.nodeId, at));
    const delivery = await this.deliver(this.others(current.doc), PACT_TYPES.state, {
      agreement: id,
      state,
      at,
    });
    return { id, state, delivery };
  }

  async show(id: string, db: Db = this.database.db): Promise<AgreementView> {
    const row = await this.records.requireAgreement(db, this.records.checkId(id));
    const latest = (await latestVersion(db, id))!;
    const inForce = row.version_in_force > 0 ? await getVersion(db, id, row.version_in_force) : undefined;
    const signedBy = latest.signatures.map((s) => s.node);
    return {
      id,
      title: row.title,
      state: row.state as AgreementState,
      effective:
        row.state === 'in_force' &&
        row.in_force_at !== null &&
        Date.parse(row.in_force_at) <= this.clock.now(),
      versionInForce: row.version_in_force,
      inForceAt: row.in_force_at,
      latest: {
        version: latest.version,
        hash: latest.hash,
        signedBy,
        missing: latest.doc.parties.map((p) => p.node).filter((n) => !signedBy.includes(n)),
        doc: latest.doc,
      },
      inForce: inForce?.doc,
      events: await eventsOf(db, id),
    };
  }

  /** Whether an agreement is in force and effective now, with the document in force: two small reads. */
  async effective(
    id: string,
    db: Db = this.database.db,
  ): Promise<{ id: string; effective: boolean; inForce?: AgreementDocument }> {
    const row = await this.records.requireAgreement(db, this.records.checkId(id));
    const inForce = row.version_in_force > 0 ? await getVersionDoc(db, id, row.version_in_force) : undefined;
    return {
      id,
      effective:
        row.state === 'in_force' &&
        row.in_force_at !== null &&
        Date.parse(row.in_force_at) <= this.clock.now(),
      inForce,
    };
  }

  async list(db: Db = this.database.db): Promise<AgreementView[]> {
    const rows = await db.selectFrom('pact_agreements').select('id').orderBy('created_at').execute();
    const out: AgreementView[] = [];
    for (const r of rows) out.push(await this.show(r.id, db));
    return out;
  }

  /** Agreements in force now (effective), with their document; what the directory publishes to. */
  async inForceNow(
    db: Db = this.database.db,
  ): Promise<{ id: string; doc: AgreementDocument; inForceAt: string }[]> {
    const rows = await db.selectFrom('pact_agreements').selectAll().where('state', '=', 'in_force').execute();
    const out = [];
    for (const r of rows) {
      if (!r.in_force_at || Date.parse(r.in_force_at) > this.clock.now()) continue;
      const v = await getVersion(db, r.id, r.version_in_force);
      if (v) out.push({ id: r.id, doc: v.doc, inForceAt: r.in_force_at });
    }
    return out;
  }

  /** The envelope layer's questions, answered from `db` (pass the receiving transaction). */
  agreementCheck(db: Db = this.database.db): AgreementCheck {
    return {
      inForce: async (id, at) => {
        const row = await getAgreement(db, id);
        return (
          !!row && row.state === 'in_force' && row.in_force_at !== null && Date.parse(row.in_force_at) <= at
        );
      },
      isMember: async (id, sender) => {
        const row = await getAgreement(db, id);
        if (!row || row.version_in_force === 0) return false;
        const doc = await getVersionDoc(db, id, row.version_in_force);
        const key = toB64u(sender.key);
        return !!doc?.parties.some((p) => p.node === sender.node && p.signing_key === key);
      },
      allowWithoutAgreement: (type) => type.startsWith('pact.') || type === 'peer.ping',
    };
  }

  // ---- inbound: called by the peer inbox inside the receiving transaction ----

  receiveProposal(tx: Db, sender: string, payload: unknown) {
    return this.inbound.receiveProposal(tx, sender, payload);
  }

  receiveSignature(tx: Db, sender: string, payload: unknown) {
    return this.inbound.receiveSignature(tx, sender, payload);
  }

  receiveState(tx: Db, sender: string, payload: unknown) {
    return this.inbound.receiveState(tx, sender, payload);
  }
}

/** The party entry for a peer, from its verified descriptor keys. */
export const partyFrom = (p: {
  node: string;
  party: string;
  signingKey: string;
  agreementKey: string;
}): PartyInfo => {
  if (!fromB64u(p.signingKey, 32) || !fromB64u(p.agreementKey, 32))
    throw invalid('pact.bad_key', `keys of ${p.node} are not base64url of 32 bytes`);
  return { node: p.node, party: p.party, signing_key: p.signingKey, agreement_key: p.agreementKey };
};
