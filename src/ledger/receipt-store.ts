/**
 * The sender's side of receipts: keep each checked receipt (one per envelope hash and recipient;
 * the first kept wins, a re-delivery's receipt adds nothing) and find it again for `parley ledger prove`.
 */
import type { Kysely } from 'kysely';
import type { Database, Schema } from '../store/index.js';
import type { Receipt } from './receipt.js';

export interface ReceiptStore {
  /** Stores a receipt (check it first with checkReceipt); true if new, false if one was kept. */
  keepReceipt(receipt: Receipt): Promise<boolean>;
  /** The receipt for an envelope (from `recipient`, or the first recipient by name). */
  receiptFor(envelopeHash: string, recipient?: string): Promise<Receipt | undefined>;
  /** Every kept receipt for an envelope, one per recipient. */
  receiptsFor(envelopeHash: string): Promise<Receipt[]>;
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
        .onConflict((oc) => oc.columns(['envelope_hash', 'recipient']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async receiptFor(envelopeHash, recipient) {
      let q = db
        .selectFrom('ledger_receipts')
        .select('receipt')
        .where('envelope_hash', '=', envelopeHash.toLowerCase());
      if (recipient !== undefined) q = q.where('recipient', '=', recipient);
      const r = await q.orderBy('recipient').limit(1).executeTakeFirst();
      return r && (JSON.parse(r.receipt) as Receipt);
    },
    async receiptsFor(envelopeHash) {
      const rows = await db
        .selectFrom('ledger_receipts')
        .select('receipt')
        .where('envelope_hash', '=', envelopeHash.toLowerCase())
        .orderBy('recipient')
        .execute();
      return rows.map((r) => JSON.parse(r.receipt) as Receipt);
    },
  };
}
