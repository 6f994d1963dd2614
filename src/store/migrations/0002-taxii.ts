/**
 * TAXII 2.1 state beside the STIX store: API roots and the collections they serve, per-role
 * permissions (can_read / can_write, TAXII 2.1 section 5.2), users and API tokens (hashes only),
 * status resources (section 4.3, kept at least 24 hours) and the TAXII client's pull positions.
 * Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('taxii_api_roots')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('max_content_length', 'bigint', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('taxii_root_collections')
    .addColumn('api_root', 'text', (c) => c.notNull().references('taxii_api_roots.name').onDelete('cascade'))
    .addColumn('collection_id', 'text', (c) =>
      c.notNull().references('stix_collections.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('taxii_root_collections_pk', ['api_root', 'collection_id'])
    .execute();

  await db.schema
    .createTable('taxii_permissions')
    .addColumn('collection_id', 'text', (c) =>
      c.notNull().references('stix_collections.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('can_read', 'integer', (c) => c.notNull())
    .addColumn('can_write', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('taxii_permissions_pk', ['collection_id', 'role'])
    .execute();

  await db.schema
    .createTable('taxii_users')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('taxii_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('taxii_status')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_root', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('request_timestamp', 'text', (c) => c.notNull())
    .addColumn('total_count', 'integer', (c) => c.notNull())
    .addColumn('success_count', 'integer', (c) => c.notNull())
    .addColumn('failure_count', 'integer', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull())
    .addColumn('successes', 'text', (c) => c.notNull())
    .addColumn('failures', 'text', (c) => c.notNull())
    .addColumn('pendings', 'text', (c) => c.notNull())
    .addColumn('expires_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('taxii_status_expires').on('taxii_status').column('expires_ms').execute();

  await db.schema
    .createTable('taxii_pull_state')
    .addColumn('server', 'text', (c) => c.notNull())
    .addColumn('collection_id', 'text', (c) => c.notNull())
    .addColumn('added_after', 'text', (c) => c.notNull())
    .addColumn('objects_pulled', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('taxii_pull_state_pk', ['server', 'collection_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'taxii_pull_state',
    'taxii_status',
    'taxii_tokens',
    'taxii_users',
    'taxii_permissions',
    'taxii_root_collections',
    'taxii_api_roots',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
