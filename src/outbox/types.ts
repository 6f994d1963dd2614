/** The outbox's types: items, what a send comes to, the seams a writer and a sender plug into. */
import type { Selectable, Transaction } from 'kysely';
import type { Clock } from '../core/index.js';
import type { Database, Schema } from '../store/index.js';
import type { OutboxTable as OutboxTableDef } from '../store/tables/outbox.js';
import type { Backoff } from './backoff.js';

export type OutboxTable = Selectable<OutboxTableDef>;

export interface OutboxInput {
  peer: string;
  type: string;
  agreement: string | null;
  payload: unknown;
  /** Ordering key within the peer; default: one lane per peer. */
  lane?: string;
  /** What the item is about, for the writer's own look-ups. */
  ref?: string;
}

export type OutboxState = 'pending' | 'delivered' | 'refused' | 'skipped';

export interface OutboxItem {
  seq: number;
  id: string;
  peer: string;
  type: string;
  agreement: string | null;
  payload: unknown;
  lane: string;
  ref: string | null;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  envelopeId: string | null;
  envelopeHash: string | null;
  answer: unknown;
}

/** What one delivery attempt came to. */
export type SendOutcome =
  | { ok: true; envelopeId: string; envelopeHash: string; answer: unknown }
  | { ok: false; retry: boolean; code: string; message: string };

/** Seals and posts one item to its peer (src/http/peer implements it over the messenger). */
export interface OutboxSender {
  send(item: Pick<OutboxItem, 'peer' | 'type' | 'agreement' | 'payload'>): Promise<SendOutcome>;
}

export type SettledListener = (
  tx: Transaction<Schema>,
  item: OutboxItem,
  outcome: SendOutcome,
) => Promise<void>;

/**
 * Builds an item's payload at send time from what was enqueued (e.g. a cursor range of objects
 * read from the store), so bulky content is not copied into the outbox. `nothing` settles the item
 * as 'skipped' without sending anything (nothing left to say).
 */
export type Preparer = (item: OutboxItem) => Promise<{ payload: unknown } | { nothing: true }>;

export interface OutboxOptions {
  database: Database;
  clock?: Clock;
  backoff?: Backoff;
  /** How long an attempt holds its item, ms (longer than the sender's timeout). */
  leaseMs?: number;
  /** The worker's idle poll, ms. */
  pollMs?: number;
  /** Attempts in flight at once, across lanes. */
  concurrency?: number;
  random?: () => number;
}

export interface PassResult {
  attempted: number;
  delivered: number;
  refused: number;
  retrying: number;
  skipped: number;
}

export const toItem = (r: OutboxTable): OutboxItem => ({
  seq: Number(r.seq),
  id: r.id,
  peer: r.peer,
  type: r.type,
  agreement: r.agreement,
  payload: JSON.parse(r.payload),
  lane: r.lane,
  ref: r.ref,
  state: r.state as OutboxState,
  attempts: r.attempts,
  nextAttemptAt: Number(r.next_attempt_at),
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
  envelopeId: r.envelope_id,
  envelopeHash: r.envelope_hash,
  answer: r.answer === null ? null : JSON.parse(r.answer),
});
