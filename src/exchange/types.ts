/** The wire format of the exchange: envelope types and payloads, shared by both sides. */
import type { PermissionGrant } from './policy/index.js';

export const EXCHANGE_TYPES = {
  /** One batch of object versions from one collection of the sender, answered with a receipt. */
  batch: 'intel.batch',
  /** "Send me what I have not seen": the peer answers by pushing through its outbox. */
  pull: 'intel.pull',
} as const;

/** The prefix of the collection that holds what one peer sent: `from-<peer node id>`. */
export const INBOUND_PREFIX = 'from-';
export const inboundAlias = (peer: string): string => `${INBOUND_PREFIX}${peer}`;

/** One object version in a batch (inside the compressed body), with where it came from. */
export interface BatchEntry {
  /** The node where the object entered the network. */
  origin: string;
  /** Grants from the origin that travel with the object (policy PermissionGrant). */
  permissions?: PermissionGrant[];
  object: Record<string, unknown>;
}

export interface BatchPayload {
  v: 1;
  /** The sender's collection id the batch was read from (the cursor's key). */
  collection: string;
  /** The range covered: date_added after `after`, up to and including `upTo` (microseconds, decimal). */
  after: string;
  upTo: string;
  /** How many entries the body holds. */
  count: number;
  /** How the body is encoded: 'deflate-raw+base64' (codec.ts). */
  encoding: string;
  /** The entries (BatchEntry[]) as JSON, compressed. */
  data: string;
}

/** What the receiver answers a batch with (inside its signed receipt's envelope answer). */
export interface BatchResult {
  stored: number;
  present: number;
  rejected: number;
  upTo: string;
}

export interface PullPayload {
  v: 1;
  /** What the puller holds, per collection of the peer: date_added of the last object (decimal). */
  cursors: Record<string, string>;
}

export interface PullResult {
  /** True when the peer has objects past the cursors and has queued a push. */
  pending: boolean;
}

/** The small outbox item a push enqueues; the batch itself is built at send time. */
export interface PushItem {
  v: 1;
  /** Why it was queued: an ingest, a pull, or the rest of a feed after a full batch. */
  reason: 'push' | 'pull' | 'continue';
}
