/**
 * The agreement records and their state machine: every write to the agreement tables goes through
 * here, inside a transaction, under a per-agreement lock (docs/AGREEMENTS.md section 3.2).
 */
import type { Transaction } from 'kysely';
import { type Clock, conflict, invalid, isoMillis, notFound } from '../core/index.js';
import type { NodeIdentity } from '../crypto/index.js';
import type { Database, Schema } from '../store/index.js';
import {
  AGREEMENT_ID,
  type AgreementDocument,
  type AgreementSignature,
  agreementIdOf,
  versionHash,
} from './document.js';
import {
  addEvent,
  type Db,
  getAgreement,
  getVersion,
  getVersionByHash,
  insertSignature,
  insertVersion,
  type StoredVersion,
} from './store.js';

export type AgreementState = 'proposed' | 'in_force' | 'suspended' | 'terminated';

const STATE_LABEL: Record<AgreementState, string> = {
  proposed: 'proposed',
  in_force: 'in force',
  suspended: 'suspended',
  terminated: 'terminated',
};
export const stateLabel = (s: AgreementState): string => STATE_LABEL[s];

export class PactRecords {
  constructor(
    readonly database: Database,
    readonly identity: NodeIdentity,
    readonly clock: Clock,
  ) {}

  now = () => isoMillis(this.clock.now());

  checkId(id: string) {
    if (!AGREEMENT_ID.test(id))
      throw invalid('pact.bad_id', `"${id}" is not an agreement id (agr- and 64 hex digits)`);
    return id;
  }

  async requireAgreement(db: Db, id: string) {
    const row = await getAgreement(db, this.checkId(id));
    if (!row) throw notFound('pact.unknown_agreement', `no agreement ${id} on this node`);
    return row;
  }

  async createRow(db: Db, id: string, title: string) {
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
  lock(db: Db, id: string): Promise<void> {
    return this.database.lock(db as Transaction<Schema>, `pact:${id}`);
  }

  async storeProposal(db: Db, doc: AgreementDocument, sigs: AgreementSignature[], by: string) {
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

  async storeSignature(db: Db, v: StoredVersion, sig: AgreementSignature) {
    const id = agreementIdOf(v.doc);
    await this.lock(db, id);
    const now = this.now();
    if (await insertSignature(db, v.hash, sig, now))
      await addEvent(db, id, 'signed', sig.node, v.version, now);
    await this.maybeComplete(db, id, v.hash);
  }

  /** When every party has signed a version, it becomes the version in force. */
  async maybeComplete(db: Db, id: string, hash: string) {
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

  async applyState(
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
