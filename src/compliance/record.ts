/**
 * Writes the facts of each envelope as it crosses: inbound in the inbox's receiving transaction
 * (with the ledger entry and the receipt, all or nothing), outbound when the peer accepted it (the
 * outbox sender returns the hash its messenger logged). Idempotent on (hash, direction, peer).
 */
import type { Kysely } from 'kysely';
import { isoMillis } from '../core/index.js';
import type { Schema } from '../store/index.js';
import { factsOf } from './facts.js';

export interface Crossing {
  envelopeHash: string;
  direction: 'in' | 'out';
  peer: string;
  agreement: string | null;
  type: string;
  payload: unknown;
}

/** Records a crossing's facts through `db` (a transaction inbound); types without facts are skipped. */
export async function recordCrossing(db: Kysely<Schema>, c: Crossing, now: number): Promise<void> {
  let f: ReturnType<typeof factsOf>;
  try {
    f = factsOf(c.type, c.payload);
  } catch {
    // The handler of the type has accepted the payload; a shape we cannot read is left out of figures.
    f = undefined;
  }
  if (!f) return;
  await db
    .insertInto('compliance_evidence')
    .values({
      envelope_hash: c.envelopeHash,
      direction: c.direction,
      peer: c.peer,
      agreement: c.agreement,
      type: c.type,
      subject: f.subject,
      facts: JSON.stringify(f.facts),
      recorded_at: isoMillis(now),
    })
    .onConflict((oc) => oc.columns(['envelope_hash', 'direction', 'peer']).doNothing())
    .execute();
}
