/**
 * The durable outbox (src/outbox): items are written in the same transaction as what they announce
 * and delivered after commit, with retries. Keep this file frozen once released.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('seq', 'integer', (c) =>
      dialectOf(db) === 'postgres'
        ? c.primaryKey().generatedAlwaysAsIdentity()
        : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('agreement', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('ref', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('envelope_id', 'text')
    .addColumn('envelope_hash', 'text')
    .addColumn('answer', 'text')
    .execute();
  // The worker reads pending items in order; everything else looks items up by ref.
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['state', 'seq']).execute();
  await db.schema.createIndex('outbox_ref').on('outbox').columns(['ref']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('outbox').execute();
}
