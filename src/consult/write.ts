/**
 * The checks an entry must pass against what this node holds (the agreement, the records already
 * there), and storing it: one row in the log, then the consultation folded again. Shared by this
 * node's own changes and received ones, and always run in the caller's transaction.
 */
import type { Kysely } from 'kysely';
import { conflict, invalid, ParleyError } from '../core/index.js';
import { canonicalJson } from '../crypto/index.js';
import type { AgreementDocument } from '../pact/index.js';
import type { Schema } from '../store/index.js';
import { rebuild } from './fold.js';
import type { ConsultEntry } from './types.js';

type Db = Kysely<Schema>;

/** Refuses an entry that does not fit the agreement or the records already held. */
export async function checkAgainst(db: Db, doc: AgreementDocument, e: ConsultEntry): Promise<void> {
  if (!doc.parties.some((p) => p.node === e.by))
    throw new ParleyError('consult.not_a_party', `${e.by} is not a party of agreement ${e.agreement}`, 403);
  const head = await db
    .selectFrom('consult_consultations')
    .select(['agreement_id', 'entry_id'])
    .where('id', '=', e.consultation)
    .executeTakeFirst();
  if (head && head.agreement_id !== e.agreement)
    throw conflict(
      'consult.agreement_mismatch',
      `consultation ${e.consultation} belongs to agreement ${head.agreement_id}, not ${e.agreement}`,
    );
  if (e.kind === 'schedule' && head && head.entry_id !== e.id)
    throw conflict('consult.already_scheduled', `consultation ${e.consultation} is already scheduled`);
  if (e.kind === 'measure') {
    if (!doc.parties.some((p) => p.node === e.body.owner))
      throw invalid(
        'consult.owner_not_a_party',
        `measure owner ${e.body.owner} is not a party of agreement ${e.agreement}`,
        { field: 'owner' },
      );
    await notElsewhere(db, 'consult_measures', e.body.measure, e.consultation);
  }
  if (e.kind === 'attach') await notElsewhere(db, 'consult_documents', e.body.document, e.consultation);
}

async function notElsewhere(
  db: Db,
  table: 'consult_measures' | 'consult_documents',
  id: string,
  consultation: string,
) {
  const r = await db
    .selectFrom(table)
    .select('consultation_id')
    .where('id', '=', id)
    .where('consultation_id', '!=', consultation)
    .executeTakeFirst();
  if (r) throw conflict('consult.duplicate_id', `${id} is already used in consultation ${r.consultation_id}`);
}

/** Appends an entry to the log and folds its consultation again; the caller holds `consult:<id>` (database.lock). */
export async function storeEntry(db: Db, e: ConsultEntry, receivedAt: string | null): Promise<void> {
  await db
    .insertInto('consult_entries')
    .values({
      id: e.id,
      consultation_id: e.consultation,
      agreement_id: e.agreement,
      kind: e.kind,
      author_node: e.by,
      author_key: e.key,
      at: e.at,
      entry: canonicalJson(e),
      received_at: receivedAt,
    })
    .execute();
  await rebuild(db, e.consultation);
}

export const getEntry = (db: Db, id: string) =>
  db.selectFrom('consult_entries').selectAll().where('id', '=', id).executeTakeFirst();
