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

import type { Transaction } from 'kysely';
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
import type { Database, Schema } from '../store/index.js';
import { type Courier, type Delivery, PACT_TYPES } from './courier.js';
import {
  AGREEMENT_ID,
  type AgreementDocument,
  type AgreementParty,
  type AgreementSignature,
  type AgreementTerms,
  agreementIdOf,
  buildDocument,
  checkDocument,
  checkSignature,
  signDocument,
  versionHash,
} from './document.js';
import {
  addEvent,
  type Db,
  eventsOf,
  getAgreement,
  getVersion,
  getVersionByHash,
  insertSignature,
  insertVersion,
  latestVersion,
  type StoredVersion,
} from './store.js';

export type AgreementState = 'proposed' | 'in_force' | 'suspended' | 'terminated';
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

const STATE_LABEL: Record<AgreementState, string> = {
  proposed: 'proposed',
  in_force: 'in force',
  suspended: 'suspended',
  terminated: 'terminated',
};
export const stateLabel = (s: AgreementState): string => STATE_LABEL[s];

export class Pacts {
  readonly database: Database;
  readonly identity: NodeIdentity;
  readonly clock: Clock;
  courier?: Courier;
  readonly party: string;

  constructor(opts: PactsOptions) {
    this.database = opts.database;
    this.identity = opts.identity;
    this.clock = opts.clock ?? systemClock;
    this.courier = opts.courier;
    this.party = opts.party;
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
    await this.database.transaction((tx) => this.storeProposal(tx, doc, [sig], this.identity.nodeId));
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
    const row = await this.requireAgreement(this.database.db, id);
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
    await this.database.transaction((tx) => this.storeProposal(tx, doc, [sig], this.identity.nodeId));
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
    const v = await latestVersion(this.database.db, this.checkId(id));
    if (!v) throw notFound('pact.unknown_agreement', `no agreement ${id} on this node`);
    if (!v.doc.parties.some((p) => p.node === this.identity.nodeId))
      throw invalid('pact.not_a_party', `${this.identity.nodeId} is not a party to ${id}`);
    const row = (await getAgreement(this.database.db, id))!;
    if (row.state === 'terminated') throw conflict('pact.terminated', `agreement ${id} is terminated`);
    const sig = signDocument(this.identity, v.doc);
    await this.database.transaction((tx) => this.storeSignature(tx, v, sig));
    const delivery = await this.deliver(this.others(v.doc), PACT_TYPES.signature, {
      agreement: id,
      hash: v.hash,
      signature: sig,
    });
    return { id, version: v.version, delivery, view: await this.show(id) };
  }

  /** Suspends, resumes (state 'in_force') or terminates; any party may, and tells every other party. */
  async setState(id: string, state: 'suspended' | 'in_force' | 'terminated') {
    const row = await this.requireAgreement(this.database.db, this.checkId(id));
    const current = await getVersion(this.database.db, id, row.version_in_force);
    if (!current) throw conflict('pact.not_in_force', `agreement ${id} has never been in force`);
    const at = this.now();
    await this.database.transaction((tx) => this.applyState(tx, id, state, this.identity.nodeId, at));
    const delivery = await this.deliver(this.others(current.doc), PACT_TYPES.state, {
      agreement: id,
      state,
      at,
    });
    return { id, state, delivery };
  }

  async show(id: string, db: Db = this.database.db): Promise<AgreementView> {
    const row = await this.requireAgreement(db, this.checkId(id));
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
        const v = await getVersion(db, id, row.version_in_force);
        const key = toB64u(sender.key);
        return !!v?.doc.parties.some((p) => p.node === sender.node && p.signing_key === key);
      },
      allowWithoutAgreement: (type) => type.startsWith('pact.') || type === 'peer.ping',
    };
  }

  // ---- inbound: called by the peer inbox inside the receiving transaction ----

  async receiveProposal(
    tx: Db,
    sender: string,
    payload: unknown,
  ): Promise<{ agreement: string; version: number }> {
    const p = payload as { document?: unknown; signatures?: unknown; previous?: unknown };
    const doc = checkDocument(p?.document);
    const sigs = Array.isArray(p.signatures) ? (p.signatures as AgreementSignature[]) : [];
    if (
      !doc.parties.some(
        (x) => x.node === this.identity.nodeId && x.signing_key === toB64u(this.identity.signing.publicKey),
      )
    )
      throw new ParleyError(
        'pact.not_a_party',
        `agreement proposal from ${sender} does not name this node as a party`,
        403,
      );
    // Every other party must be a peer this node confirmed, with the keys it confirmed: otherwise a
    // proposer could list a party under a key it holds itself and sign in that party's name.
    for (const party of doc.parties) {
      if (party.node === this.identity.nodeId) continue;
      const peer = await tx
        .selectFrom('peers')
        .selectAll()
        .where('node_id', '=', party.node)
        .executeTakeFirst();
      if (peer?.status !== 'confirmed')
        throw new ParleyError(
          'pact.unknown_party',
          `party ${party.node} of the proposal is not a confirmed peer of this node; add it first`,
          403,
        );
      if (peer.signing_key !== party.signing_key || peer.agreement_key !== party.agreement_key)
        throw new ParleyError(
          'pact.key_mismatch',
          `the proposal lists keys for ${party.node} other than the ones this node confirmed`,
          403,
        );
    }
    if (doc.proposed_by !== sender)
      throw new ParleyError(
        'pact.bad_proposal',
        `proposal of ${sender} names ${doc.proposed_by} as proposer`,
        403,
      );
    for (const s of sigs) {
      if (!checkSignature(doc, s))
        throw new ParleyError(
          'pact.bad_signature',
          `a signature by ${s?.node} on the proposal does not verify`,
          400,
        );
    }
    if (!sigs.some((s) => s.node === sender))
      throw new ParleyError('pact.bad_proposal', `the proposal is not signed by its proposer ${sender}`, 400);
    if (doc.version > 1) {
      // The amended version: the receiver checks the chain if it has it, and records it if it joins.
      const prev = p.previous === undefined ? undefined : checkDocument(p.previous);
      const known = await getVersionByHash(tx, doc.previous!);
      if (!known && (!prev || versionHash(prev) !== doc.previous || agreementIdOf(prev) !== doc.id))
        throw new ParleyError(
          'pact.bad_proposal',
          `amendment of ${doc.id} does not carry the version it amends`,
          400,
        );
      if (!known && prev) {
        const row = await getAgreement(tx, doc.id!);
        if (!row) await this.createRow(tx, doc.id!, prev.title);
        await insertVersion(tx, doc.id!, versionHash(prev), prev, this.now());
      }
    }
    await this.storeProposal(tx, doc, sigs, sender);
    return { agreement: agreementIdOf(doc), version: doc.version };
  }

  async receiveSignature(tx: Db, sender: string, payload: unknown) {
    const p = payload as { agreement?: string; hash?: string; signature?: AgreementSignature };
    if (typeof p?.hash !== 'string' || typeof p.signature !== 'object')
      throw invalid('pact.malformed', 'pact.signature payload must be { agreement, hash, signature }');
    const v = await getVersionByHash(tx, p.hash);
    if (!v || agreementIdOf(v.doc) !== p.agreement)
      throw notFound('pact.unknown_agreement', `no version ${p.hash} of ${p.agreement} on this node`);
    if (p.signature.node !== sender)
      throw new ParleyError(
        'pact.bad_signature',
        `${sender} sent a signature in the name of ${p.signature.node}`,
        403,
      );
    if (!checkSignature(v.doc, p.signature))
      throw new ParleyError(
        'pact.bad_signature',
        `the signature of ${sender} on ${p.agreement} does not verify`,
        400,
      );
    await this.storeSignature(tx, v, p.signature);
    return { agreement: p.agreement, version: v.version };
  }

  async receiveState(tx: Db, sender: string, payload: unknown) {
    const p = payload as { agreement?: string; state?: string; at?: string };
    if (
      typeof p?.agreement !== 'string' ||
      !['suspended', 'in_force', 'terminated'].includes(p.state as string)
    )
      throw invalid(
        'pact.malformed',
        'pact.state payload must be { agreement, state: suspended|in_force|terminated, at }',
      );
    const row = await this.requireAgreement(tx, p.agreement);
    const v = await getVersion(tx, p.agreement, row.version_in_force);
    if (!v?.doc.parties.some((x) => x.node === sender))
      throw new ParleyError('pact.not_a_party', `${sender} is not a party to ${p.agreement}`, 403);
    await this.applyState(tx, p.agreement, p.state as 'suspended', sender, this.now());
    return { agreement: p.agreement, state: p.state };
  }

  // ---- internals ----

  private checkId(id: string) {
    if (!AGREEMENT_ID.test(id))
      throw invalid('pact.bad_id', `"${id}" is not an agreement id (agr- and 64 hex digits)`);
    return id;
  }

  private async requireAgreement(db: Db, id: string) {
    const row = await getAgreement(db, this.checkId(id));
    if (!row) throw notFound('pact.unknown_agreement', `no agreement ${id} on this node`);
    return row;
  }

  private async createRow(db: Db, id: string, title: string) {
    const now = this.now();
    await db
      .insertInto('pact_agreements')
      .values({
        id,
        title,
        state: 'proposed',
        version_in_force: 0,
        in_force_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  /**
   * Serialises changes to one agreement: on PostgreSQL (READ COMMITTED) two signatures arriving at
   * once would each miss the other's row and neither would complete the version. A no-op on SQLite,
   * whose write transactions are already exclusive. `db` is always a transaction here.
   */
  private lock(db: Db, id: string): Promise<void> {
    return this.database.lock(db as Transaction<Schema>, `pact:${id}`);
  }

  private async storeProposal(db: Db, doc: AgreementDocument, sigs: AgreementSignature[], by: string) {
    const id = agreementIdOf(doc);
    const hash = versionHash(doc);
    await this.lock(db, id);
    const now = this.now();
    if (await getVersionByHash(db, hash)) {
      for (const s of sigs) await insertSignature(db, hash, s, now);
      await this.maybeComplete(db, id, hash);
      return;
    }
    const row = await getAgreement(db, id);
    if (!row) await this.createRow(db, id, doc.title);
    else if (row.state === 'terminated') throw conflict('pact.terminated', `agreement ${id} is terminated`);
    const prior = await getVersion(db, id, doc.version);
    if (prior) throw conflict('pact.pending_version', `agreement ${id} already has a version ${doc.version}`);
    await insertVersion(db, id, hash, doc, now);
    await addEvent(db, id, doc.version === 1 ? 'proposed' : 'amendment', by, doc.version, now);
    for (const s of sigs) {
      await insertSignature(db, hash, s, now);
      await addEvent(db, id, 'signed', s.node, doc.version, now);
    }
    await this.maybeComplete(db, id, hash);
  }

  private async storeSignature(db: Db, v: StoredVersion, sig: AgreementSignature) {
    const id = agreementIdOf(v.doc);
    await this.lock(db, id);
    const now = this.now();
    if (await insertSignature(db, v.hash, sig, now))
      await addEvent(db, id, 'signed', sig.node, v.version, now);
    await this.maybeComplete(db, id, v.hash);
  }

  /** When every party has signed a version, it becomes the version in force. */
  private async maybeComplete(db: Db, id: string, hash: string) {
    const v = (await getVersionByHash(db, hash))!;
    if (v.completeAt) return;
    const signed = new Set(v.signatures.map((s) => s.node));
    if (!v.doc.parties.every((p) => signed.has(p.node))) return;
    const now = this.clock.now();
    await db
      .updateTable('pact_versions')
      .set({ complete_at: isoMillis(now) })
      .where('hash', '=', hash)
      .execute();
    const row = (await getAgreement(db, id))!;
    if (row.state === 'terminated' || v.version <= row.version_in_force) return;
    const start = v.doc.entry_into_force ? Math.max(Date.parse(v.doc.entry_into_force), now) : now;
    await db
      .updateTable('pact_agreements')
      .set({
        state: row.state === 'proposed' ? 'in_force' : row.state,
        version_in_force: v.version,
        in_force_at: row.in_force_at && row.version_in_force > 0 ? row.in_force_at : isoMillis(start),
        updated_at: isoMillis(now),
      })
      .where('id', '=', id)
      .execute();
    await addEvent(db, id, 'in_force', this.identity.nodeId, v.version, isoMillis(now));
  }

  private async applyState(
    db: Db,
    id: string,
    state: 'suspended' | 'in_force' | 'terminated',
    by: string,
    at: string,
  ) {
    await this.lock(db, id);
    const row = (await getAgreement(db, id))!;
    if (row.state === state) return;
    const ok =
      (state === 'suspended' && row.state === 'in_force') ||
      (state === 'in_force' && row.state === 'suspended') ||
      (state === 'terminated' && row.state !== 'terminated');
    if (!ok)
      throw conflict(
        'pact.bad_transition',
        `agreement ${id} is ${stateLabel(row.state as AgreementState)}; it cannot become ${stateLabel(state)}`,
      );
    await db.updateTable('pact_agreements').set({ state, updated_at: at }).where('id', '=', id).execute();
    await addEvent(db, id, state === 'in_force' ? 'resumed' : state, by, row.version_in_force, at);
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
