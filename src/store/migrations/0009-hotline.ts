/**
 * The hotline (src/hotline): threads, messages, per-recipient states, alerts and ping tests.
 * Keep this file frozen once released.
 */
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const serial = (c: ColumnDefinitionBuilder) =>
    dialectOf(db) === 'postgres'
      ? c.primaryKey().generatedAlwaysAsIdentity()
      : c.primaryKey().autoIncrement();
  await db.schema
    .createTable('hotline_threads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('exercise', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('closed_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('hotline_messages')
    .addColumn('seq', 'integer', serial)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('thread', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('agreement', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sender_node', 'text', (c) => c.notNull())
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('escalates', 'text')
    .addColumn('to_poc', 'text')
    .addColumn('exercise', 'integer', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hotline_messages_thread')
    .on('hotline_messages')
    .columns(['thread', 'seq'])
    .execute();
  await db.schema
    .createIndex('hotline_messages_direction')
    .on('hotline_messages')
    .columns(['direction', 'seq'])
    .execute();
  await db.schema
    .createTable('hotline_recipients')
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('ack_due', 'bigint')
    .addColumn('respond_due', 'bigint')
    .addColumn('delivered_at', 'text')
    .addColumn('envelope_id', 'text')
    .addColumn('envelope_hash', 'text')
    .addColumn('receipt', 'text')
    .addColumn('error', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('ack_poc', 'text')
    .addColumn('ack_received_at', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('response_id', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('escalated_ack', 'integer', (c) => c.notNull())
    .addColumn('escalated_respond', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('hotline_recipients_pk', ['message_id', 'recipient'])
    .execute();
  // The deadline check scans open rows by due time.
  await db.schema
    .createIndex('hotline_recipients_ack_due')
    .on('hotline_recipients')
    .columns(['escalated_ack', 'ack_due'])
    .execute();
  await db.schema
    .createTable('hotline_alerts')
    .addColumn('seq', 'integer', serial)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('poc', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('thread', 'text')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('exercise', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema
    .createTable('hotline_ping_schedule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('every_days', 'integer', (c) => c.notNull())
    .addColumn('pocs', 'text')
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('last_run', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('hotline_pings')
    .addColumn('seq', 'integer', serial)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('owner_node', 'text', (c) => c.notNull())
    .addColumn('poc_id', 'text', (c) => c.notNull())
    .addColumn('agreement', 'text')
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('ack_due', 'bigint')
    .addColumn('delivered_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('ack_ms', 'bigint')
    .addColumn('ack_poc', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('reported', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hotline_pings_message').on('hotline_pings').columns(['message_id']).execute();
  await db.schema.createIndex('hotline_pings_run').on('hotline_pings').columns(['run_id', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'hotline_pings',
    'hotline_ping_schedule',
    'hotline_alerts',
    'hotline_recipients',
    'hotline_messages',
    'hotline_threads',
  ])
    await db.schema.dropTable(t).execute();
}
