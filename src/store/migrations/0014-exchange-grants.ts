/**
 * The threat-intel exchange (src/exchange): sharing grants this node holds, one row per (grant,
 * object), each received from the object's origin in a signed hotline permission-grant. The sync
 * engine reads them by object id when it decides what to relay.
 * Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('exchange_grants')
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('agreement', 'text', (c) => c.notNull())
    .addColumn('share_with', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('exchange_grants_pk', ['grant_id', 'object_id'])
    .execute();
  await db.schema.createIndex('exchange_grants_object').on('exchange_grants').column('object_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('exchange_grants').execute();
}
