/**
 * The ledger: entries (leaves), perfect-subtree hashes, signed tree heads (see src/ledger and
 * docs/LEDGER.md). Keys are declared `integer primary key` on purpose: on SQLite that makes the key
 * the rowid, so an append writes one B-tree per table instead of a table plus an index; on
 * PostgreSQL `integer` is 32-bit, which bounds the log at about 2^30 entries.
 * Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_entries')
    .addColumn('idx', 'integer', (c) => c.primaryKey())
    .addColumn('envelope_hash', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('peer_node_id', 'text', (c) => c.notNull())
    .addColumn('agreement_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('time', 'text', (c) => c.notNull())
    .addColumn('leaf_hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_entries_envelope')
    .on('ledger_entries')
    .column('envelope_hash')
    .execute();

  await db.schema
    .createTable('ledger_nodes')
    .addColumn('pos', 'integer', (c) => c.primaryKey())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_tree_heads')
    .addColumn('tree_size', 'integer', (c) => c.primaryKey())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['ledger_tree_heads', 'ledger_nodes', 'ledger_entries'])
    await db.schema.dropTable(t).execute();
}
