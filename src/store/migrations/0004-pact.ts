/**
 * Peers, the store-backed replay guard, agreements (versions, signatures, events) and the points of
 * contact directory (see src/http/peer, src/pact, src/directory and docs/AGREEMENTS.md).
 * Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('peers')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('party', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('signing_key', 'text', (c) => c.notNull())
    .addColumn('agreement_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('descriptor', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('peer_seen_envelopes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('peer_seen_envelopes_expires')
    .on('peer_seen_envelopes')
    .column('expires')
    .execute();

  await db.schema
    .createTable('pact_agreements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version_in_force', 'integer', (c) => c.notNull())
    .addColumn('in_force_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('pact_versions')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('complete_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('pact_versions_agreement_version', ['agreement_id', 'version'])
    .execute();

  await db.schema
    .createTable('pact_signatures')
    .addColumn('version_hash', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('signing_key', 'text', (c) => c.notNull())
    .addColumn('sig', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pact_signatures_pk', ['version_hash', 'node_id'])
    .execute();

  await db.schema
    .createTable('pact_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('by_node', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pact_events_agreement').on('pact_events').column('agreement_id').execute();

  await db.schema
    .createTable('directory_pocs')
    .addColumn('owner_node', 'text', (c) => c.notNull())
    .addColumn('poc_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('confirmed_on', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_pocs_pk', ['owner_node', 'poc_id'])
    .execute();

  await db.schema
    .createTable('directory_exchanges')
    .addColumn('agreement_id', 'text', (c) => c.notNull())
    .addColumn('owner_node', 'text', (c) => c.notNull())
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addColumn('last_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('directory_exchanges_pk', ['agreement_id', 'owner_node'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'directory_exchanges',
    'directory_pocs',
    'pact_events',
    'pact_signatures',
    'pact_versions',
    'pact_agreements',
    'peer_seen_envelopes',
    'peers',
  ])
    await db.schema.dropTable(t).execute();
}
