/**
 * Compliance evidence (src/compliance): the facts each envelope carried, by envelope hash and
 * direction, so figures join ledger entries to what was signed. Keep this file frozen once released.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('compliance_evidence')
    .addColumn('envelope_hash', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('peer', 'text', (c) => c.notNull())
    .addColumn('agreement', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('compliance_evidence_pk', ['envelope_hash', 'direction', 'peer'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('compliance_evidence').execute();
}
