/**
 * Gossip (src/ledger/gossip.ts): the signed tree heads seen from each peer (one per peer and size),
 * and alerts with the evidence when a peer's heads are not consistent (RFC 9162 section 2.1.4).
 * Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_peer_heads')
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('tree_size', 'integer', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('root_hash', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('seen', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_peer_heads_pk', ['peer', 'tree_size'])
    .execute();
  await db.schema
    .createTable('ledger_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ledger_alerts_peer').on('ledger_alerts').column('peer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['ledger_alerts', 'ledger_peer_heads']) await db.schema.dropTable(t).execute();
}
