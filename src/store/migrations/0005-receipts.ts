/**
 * Receipts a sender keeps (src/ledger/receipt.ts): one per envelope hash and recipient, the
 * recipient's signed receipt as JSON. Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ledger_receipts')
    .addColumn('envelope_hash', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('received', 'text', (c) => c.notNull())
    .addColumn('receipt', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_receipts_pk', ['envelope_hash', 'recipient'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ledger_receipts').execute();
}
