/**
 * Key rotation (src/http/peer/rotation.ts): this node's own chain of KeyRotation statements, served
 * to peers in order, and the steps this node followed along its peers' chains (an audit trail of
 * every key a peer was moved to, and from which confirmed key).
 * Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('key_rotations')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('previous_key', 'text', (c) => c.notNull())
    .addColumn('new_key', 'text', (c) => c.notNull().unique())
    .addColumn('statement', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('peer_key_steps')
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('previous_key', 'text', (c) => c.notNull())
    .addColumn('new_key', 'text', (c) => c.notNull())
    .addColumn('new_agreement_key', 'text', (c) => c.notNull())
    .addColumn('steps', 'integer', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull())
    .addColumn('followed', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('peer_key_steps_pk', ['peer', 'new_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['peer_key_steps', 'key_rotations']) await db.schema.dropTable(t).execute();
}
