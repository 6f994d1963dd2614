/** Row types of migration 0008-outbox: envelopes waiting to be delivered to one peer each. */
import type { Generated } from 'kysely';

export interface OutboxTable {
  /** Order of writing; delivery within a lane follows it. */
  seq: Generated<number>;
  /** Random id of the item (UUID). */
  id: string;
  /** Recipient node id. */
  peer: string;
  /** Envelope type, e.g. 'hotline.message'. */
  type: string;
  agreement: string | null;
  /** The payload, JSON; sealed afresh at each attempt. */
  payload: string;
  /** Ordering key: items of one (peer, lane) are delivered one after the other, in seq order. */
  lane: string;
  /** What the item is about for the part that wrote it (e.g. a hotline message id). */
  ref: string | null;
  /** 'pending' | 'delivered' | 'refused' */
  state: string;
  attempts: number;
  /** Milliseconds since the epoch: not attempted before. Also the lease of an attempt in flight. */
  next_attempt_at: number;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  /** Id and hash of the envelope the peer accepted. */
  envelope_id: string | null;
  envelope_hash: string | null;
  /** The peer's answer (its signed receipt and handler result), JSON. */
  answer: string | null;
}

export interface OutboxTables {
  outbox: OutboxTable;
}
