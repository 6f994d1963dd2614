/** Reading consultations back: views with who signed each record, the overdue flag by the clock. */
import type { Kysely } from 'kysely';
import { isoMillis } from '../core/index.js';
import type { Schema } from '../store/index.js';
import type {
  ConsultConsultationsTable,
  ConsultMeasuresTable,
  ConsultMeasureUpdatesTable,
} from '../store/tables/consult.js';
import type {
  ConsultationSummary,
  ConsultationView,
  DocumentKind,
  MeasureState,
  MeasureView,
  SignedBy,
} from './types.js';

type Db = Kysely<Schema>;

/** The day (UTC) of `now`; a measure due on an earlier day and still open is overdue. */
export const today = (now: number): string => isoMillis(now).slice(0, 10);
export const isOverdue = (m: { state: string; due_on: string }, now: number): boolean =>
  m.state === 'open' && m.due_on < today(now);

async function signers(db: Db, ids: readonly string[]): Promise<Map<string, SignedBy>> {
  const out = new Map<string, SignedBy>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('consult_entries')
    .select(['id', 'author_node', 'author_key', 'at'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  for (const r of rows) out.set(r.id, { node: r.author_node, key: r.author_key, entry: r.id, at: r.at });
  return out;
}

function measureView(
  m: ConsultMeasuresTable,
  updates: ConsultMeasureUpdatesTable[],
  by: Map<string, SignedBy>,
  now: number,
): MeasureView {
  return {
    id: m.id,
    consultation: m.consultation_id,
    agreement: m.agreement_id,
    title: m.title,
    owner: m.owner_node,
    due: m.due_on,
    state: m.state as MeasureState,
    overdue: isOverdue(m, now),
    signedBy: by.get(m.entry_id)!,
    updatedAt: m.updated_at,
    updatedBy: m.updated_by,
    updates: updates
      .filter((u) => u.measure_id === m.id)
      .map((u) => ({ state: u.state as MeasureState | null, note: u.note, signedBy: by.get(u.entry_id)! })),
  };
}

/** Measures (with their updates), filtered; ordered by due day then id. */
export async function readMeasures(
  db: Db,
  now: number,
  f: {
    consultation?: string;
    agreement?: string;
    owner?: string;
    state?: MeasureState;
    overdue?: boolean;
  } = {},
): Promise<MeasureView[]> {
  let q = db.selectFrom('consult_measures').selectAll().orderBy('due_on').orderBy('id');
  if (f.consultation) q = q.where('consultation_id', '=', f.consultation);
  if (f.agreement) q = q.where('agreement_id', '=', f.agreement);
  if (f.owner) q = q.where('owner_node', '=', f.owner);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.overdue) q = q.where('state', '=', 'open').where('due_on', '<', today(now));
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const updates = await db
    .selectFrom('consult_measure_updates')
    .selectAll()
    .where(
      'measure_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('at')
    .orderBy('entry_id')
    .execute();
  const by = await signers(db, [...rows.map((r) => r.entry_id), ...updates.map((u) => u.entry_id)]);
  return rows.map((m) => measureView(m, updates, by, now));
}

export async function readConsultation(
  db: Db,
  row: ConsultConsultationsTable,
  now: number,
  o: { content?: boolean } = {},
): Promise<ConsultationView> {
  const docs = await db
    .selectFrom('consult_documents')
    .selectAll()
    .where('consultation_id', '=', row.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const minutes = await db
    .selectFrom('consult_minutes')
    .selectAll()
    .where('consultation_id', '=', row.id)
    .orderBy('version')
    .execute();
  const by = await signers(db, [
    row.entry_id,
    ...docs.map((d) => d.entry_id),
    ...minutes.map((m) => m.entry_id),
  ]);
  return {
    id: row.id,
    agreement: row.agreement_id,
    title: row.title,
    date: row.scheduled_for,
    agenda: JSON.parse(row.agenda) as string[],
    participants: JSON.parse(row.participants) as string[],
    signedBy: by.get(row.entry_id)!,
    updatedAt: row.updated_at,
    documents: docs.map((d) => ({
      id: d.id,
      kind: d.kind as DocumentKind,
      title: d.title,
      sha256: d.sha256,
      reportKey: d.report_key,
      signedBy: by.get(d.entry_id)!,
      ...(o.content ? { content: JSON.parse(d.content) as Record<string, unknown> } : {}),
    })),
    minutes: minutes.map((m) => ({ version: m.version, text: m.text, signedBy: by.get(m.entry_id)! })),
    measures: await readMeasures(db, now, { consultation: row.id }),
  };
}

export async function listConsultations(
  db: Db,
  now: number,
  f: { agreement?: string } = {},
): Promise<ConsultationSummary[]> {
  let q = db.selectFrom('consult_consultations').selectAll().orderBy('scheduled_for').orderBy('id');
  if (f.agreement) q = q.where('agreement_id', '=', f.agreement);
  const rows = await q.execute();
  const out: ConsultationSummary[] = [];
  for (const r of rows) {
    const count = async (t: 'consult_documents' | 'consult_minutes') =>
      Number(
        (
          await db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('consultation_id', '=', r.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const open = await db
      .selectFrom('consult_measures')
      .select(['state', 'due_on'])
      .where('consultation_id', '=', r.id)
      .where('state', '=', 'open')
      .execute();
    out.push({
      id: r.id,
      agreement: r.agreement_id,
      title: r.title,
      date: r.scheduled_for,
      scheduledBy: r.scheduled_by,
      documents: await count('consult_documents'),
      minutesVersions: await count('consult_minutes'),
      openMeasures: open.length,
      overdueMeasures: open.filter((m) => isOverdue(m, now)).length,
    });
  }
  return out;
}
