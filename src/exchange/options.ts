/**
 * What the exchange engine is given (its options and the seams other parts fill in) and the limits
 * a receiver holds a batch to. Re-exported by exchange.ts, the engine's public face.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../core/index.js';
import type { Outbox } from '../outbox/index.js';
import type { AgreementDocument } from '../pact/index.js';
import type { Database, Schema } from '../store/index.js';
import type { InboundTaxii } from './collections.js';

/** Agreements in force with their documents (pact's Pacts answers it). */
export interface AgreementSource {
  inForceNow(db?: Kysely<Schema>): Promise<{ id: string; doc: AgreementDocument }[]>;
}

/** One request-answer envelope to a peer, logged like any other (the pull). */
export interface PullTransport {
  ask(node: string, type: string, payload: unknown, agreement: string | null): Promise<unknown>;
}

/** What an inbound handler is given (the peer inbox's context satisfies it). */
export interface InboundLike {
  tx: Transaction<Schema>;
  payload: unknown;
  opened: { envelope: { sender: { node: string }; agreement: string | null } };
}

export interface ExchangeOptions {
  database: Database;
  /** This node's id. */
  self: string;
  outbox: Outbox;
  agreements: AgreementSource;
  transport: PullTransport;
  clock?: Clock;
  /** Collections (alias or id) this node offers as its own; default ['local']. */
  shared?: string[];
  /** Where received collections are served over TAXII; default API root `parley`, role `reader`. */
  taxii?: Partial<InboundTaxii>;
  /** Largest envelope, bytes (the peers' limit; default 1 MiB). */
  maxEnvelopeBytes?: number;
  /** Objects per batch at most (default 5,000; a receiver accepts up to 10,000). */
  maxObjects?: number;
  /**
   * Batches in flight at once per feed (default 2): the next is read, filtered, compressed and
   * sealed while the peer stores the one before. 1 sends strictly one at a time.
   */
  pipelineDepth?: number;
  /** How often the running server looks for news the announce after an ingest missed, ms (default 5 s). */
  pollMs?: number;
  /** Reports failures of background work (poll, announce after a pull). */
  onError?: (e: unknown) => void;
}

export interface ExchangeStats {
  batchesSent: number;
  objectsSent: number;
  /** Objects too large for one envelope, passed over. */
  oversized: number;
}

/** Receivers refuse batches with more objects than this. */
export const MAX_BATCH_OBJECTS = 10_000;
/** ... or whose body inflates past this many bytes. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
