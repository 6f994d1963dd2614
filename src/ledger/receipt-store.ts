/**
 * The sender's side of receipts: keep each checked receipt (one per envelope hash; the first kept
 * wins, a re-delivery's receipt adds nothing) and find it again for `parley ledger prove`.
 */
import type { Kysely } from 'kysely';
import type { Database, Schema } from '../store/index.js';
import type { Receipt } from './receipt.js';

export interface ReceiptStore {
  /** Stores a receipt (check it first with checkReceipt); true if new, false if one was kept. */
  keepReceipt(receipt: Receipt): Promise<boolean>;
  receiptFor(envelopeHash: string): Promise<Receipt | undefined>;
}

/** A receipt store over the database, or over a transaction's handle (`tx`) when one is open. */
export function receiptStore(database: Database | { db: Kysely<Schema> }): ReceiptStore {
  const db = database.db;
  return {
    async keepReceipt(receipt) {
      const r = await db
        .insertInto('ledger_receipts')
        .values({
          envelope_hash: receipt.envelopeHash,
          recipient: receipt.recipient,
          received: receipt.received,
          receipt: JSON.stringify(receipt),
        })
        .onConflict((oc) => oc.column('envelope_hash').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async receiptFor(envelopeHash) {
      const r = await db
        .selectFrom('ledger_receipts')
        .select('receipt')
        .where('envelope_hash', '=', envelopeHash.toLowerCase())
        .executeTakeFirst();
      return r && (JSON.parse(r.receipt) as Receipt);
    },
  };
}
