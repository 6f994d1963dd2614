/**
 * The state of a consultation is folded from its entries, never edited in place: after each entry
 * is stored, `rebuild` recomputes the consultation's rows from the whole log. So the result does not
 * depend on the order entries arrived in (a measure's update may overtake the measure when it comes
 * from a third party), and a repeated delivery changes nothing.
 *
 * Order: the first schedule entry makes the consultation (entries of another agreement are ignored);
 * documents, minutes and measures follow in log order (at, then id); then measure updates in log
 * order, each applied to a measure that exists (one whose measure has not arrived yet waits in the
 * log, and counts at the next rebuild).
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/index.js';
import type { BodyOf, ConsultEntry, EntryKind } from './types.js';

type Db = Kysely<Schema>;

const FOLDED = [
  'consult_documents',
  'consult_minutes',
  'consult_measures',
  'consult_measure_updates',
] as const;

/** The stored entries of a consultation in log order. */
export async function entriesOf(db: Db, consultation: string): Promise<ConsultEntry[]> {
  const rows = await db
    .selectFrom('consult_entries')
    .select('entry')
    .where('consultation_id', '=', consultation)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.entry) as ConsultEntry);
}

const of = <K extends EntryKind>(list: ConsultEntry[], kind: K) =>
  list.filter((e) => e.kind === kind) as ConsultEntry<K>[];

export async function rebuild(db: Db, consultation: string): Promise<void> {
  await db.deleteFrom('consult_consultations').where('id', '=', consultation).execute();
  for (const t of FOLDED) await db.deleteFrom(t).where('consultation_id', '=', consultation).execute();
  const all = await entriesOf(db, consultation);
  const head = of(all, 'schedule')[0];
  if (!head) return;
  const log = all.filter((e) => e.agreement === head.agreement);
  const s: BodyOf['schedule'] = head.body;
  await db
    .insertInto('consult_consultations')
    .values({
      id: consultation,
      agreement_id: head.agreement,
      title: s.title,
      scheduled_for: s.date,
      agenda: JSON.stringify(s.agenda),
      participants: JSON.stringify(s.participants),
      scheduled_by: head.by,
      entry_id: head.id,
      created_at: head.at,
      updated_at:
        log
          .map((e) => e.at)
          .sort()
          .at(-1) ?? head.at,
    })
    .execute();

  const docs = new Set<string>();
  for (const e of of(log, 'attach')) {
    if (docs.has(e.body.document)) continue;
    docs.add(e.body.document);
    await db
      .insertInto('consult_documents')
      .values({
        id: e.body.document,
        consultation_id: consultation,
        kind: e.body.kind,
        title: e.body.title,
        sha256: e.body.sha256,
        content: JSON.stringify(e.body.content),
        report_key: e.body.kind === 'compliance-report' ? reportKey(e.body.content) : null,
        attached_by: e.by,
        entry_id: e.id,
        at: e.at,
      })
      .execute();
  }

  let version = 0;
  for (const e of of(log, 'minutes'))
    await db
      .insertInto('consult_minutes')
      .values({
        entry_id: e.id,
        consultation_id: consultation,
        version: ++version,
        text: e.body.text,
        recorded_by: e.by,
        at: e.at,
      })
      .execute();

  const measures = new Map<string, { e: ConsultEntry<'measure'>; state: string; at: string; by: string }>();
  for (const e of of(log, 'measure'))
    if (!measures.has(e.body.measure)) measures.set(e.body.measure, { e, state: 'open', at: e.at, by: e.by });
  for (const e of of(log, 'measure-update')) {
    const m = measures.get(e.body.measure);
    if (!m) continue;
    await db
      .insertInto('consult_measure_updates')
      .values({
        entry_id: e.id,
        measure_id: e.body.measure,
        consultation_id: consultation,
        state: e.body.state,
        note: e.body.note,
        by_node: e.by,
        at: e.at,
      })
      .execute();
    if (e.body.state !== null) Object.assign(m, { state: e.body.state, at: e.at, by: e.by });
  }
  for (const [id, m] of measures)
    await db
      .insertInto('consult_measures')
      .values({
        id,
        consultation_id: consultation,
        agreement_id: head.agreement,
        title: m.e.body.title,
        owner_node: m.e.body.owner,
        due_on: m.e.body.due,
        state: m.state,
        added_by: m.e.by,
        entry_id: m.e.id,
        created_at: m.e.at,
        updated_at: m.at,
        updated_by: m.by,
      })
      .execute();
}

/** The signing key of a compliance report (checked when it was received: documents.ts). */
const reportKey = (c: Record<string, unknown>): string | null => {
  if (typeof c.sig !== 'string') return null;
  if (typeof c.report === 'object' && typeof c.key === 'string') return c.key;
  return typeof c.publicKey === 'string' ? c.publicKey : null;
};
