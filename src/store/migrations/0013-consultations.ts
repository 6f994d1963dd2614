/**
 * Consultations (src/consult): the signed log of every change (consult_entries) and the state folded
 * from it (consultations, attached documents, minutes, joint measures and their updates). The
 * folded tables are rebuilt from the log, so they hold nothing the log does not.
 * Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consult_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author_node', 'text', (c) => c.notNull())
    .addColumn('author_key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('entry', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text')
    .execute();
  await db.schema
    .createIndex('consult_entries_consultation')
    .on('consult_entries')
    .columns(['consultation_id', 'at', 'id'])
    .execute();
  await db.schema
    .createTable('consult_consultations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('agenda', 'text', (c) => c.notNull())
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('scheduled_by', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consult_consultations_agreement')
    .on('consult_consultations')
    .columns(['agreement_id', 'scheduled_for'])
    .execute();
  await db.schema
    .createTable('consult_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('report_key', 'text')
    .addColumn('attached_by', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consult_documents_consultation')
    .on('consult_documents')
    .columns(['consultation_id', 'at'])
    .execute();
  await db.schema
    .createTable('consult_minutes')
    .addColumn('entry_id', 'text', (c) => c.primaryKey())
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consult_minutes_consultation')
    .on('consult_minutes')
    .columns(['consultation_id', 'version'])
    .execute();
  await db.schema
    .createTable('consult_measures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('owner_node', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull())
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consult_measures_open')
    .on('consult_measures')
    .columns(['state', 'due_on'])
    .execute();
  await db.schema
    .createIndex('consult_measures_consultation')
    .on('consult_measures')
    .columns(['consultation_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('consult_measure_updates')
    .addColumn('entry_id', 'text', (c) => c.primaryKey())
    .addColumn('measure_id', 'text', (c) => c.notNull())
    .addColumn('consultation_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('by_node', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('consult_measure_updates_measure')
    .on('consult_measure_updates')
    .columns(['measure_id', 'at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'consult_measure_updates',
    'consult_measures',
    'consult_minutes',
    'consult_documents',
    'consult_consultations',
    'consult_entries',
  ])
    await db.schema.dropTable(t).execute();
}
