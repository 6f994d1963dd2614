/**
 * A feed is one (agreement in force, other party) pair: what this node sends that peer under that
 * agreement. Here: listing them, the keys a feed is known by, and what the engine's parts (push,
 * pull, status, grants) share, which exchange.ts builds once.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../core/index.js';
import type { Database, Schema, StixStore } from '../store/index.js';
import type { Feed } from './offer.js';
import type { AgreementSource } from './options.js';

export type Db = Kysely<Schema> | Transaction<Schema>;

/** Narrows a list of feeds to one peer, one agreement, or both. */
export interface FeedFilter {
  peer?: string;
  agreement?: string;
}

export type FeedLister = (db?: Db, only?: FeedFilter) => Promise<Feed[]>;

/** What the parts of the engine share. */
export interface EngineContext {
  database: Database;
  clock: Clock;
  /** This node's id. */
  self: string;
  /** Collections this node offers as its own. */
  shared: string[];
  store: StixStore;
  /** The feeds of this node (Exchange.feeds). */
  feeds: FeedLister;
}

/** A feed's outbox lane: its items go one after the other, feeds independently. */
export const laneOf = (agreement: string) => `intel:${agreement}`;

/** Outbox items pending in a feed's lane. */
export async function pendingInLane(db: Db, f: Feed): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('peer', '=', f.peer)
    .where('lane', '=', laneOf(f.agreement.id))
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
export const feedKey = (peer: string, agreement: string) => `${peer}\u0000${agreement}`;

/** The feeds of this node: one per (agreement in force, other party), optionally narrowed. */
export async function listFeeds(
  agreements: AgreementSource,
  self: string,
  db: Db,
  only: FeedFilter = {},
): Promise<Feed[]> {
  const out: Feed[] = [];
  for (const a of await agreements.inForceNow(db)) {
    if (only.agreement && a.id !== only.agreement) continue;
    if (!a.doc.parties.some((p) => p.node === self)) continue;
    for (const p of a.doc.parties) {
      if (p.node === self || (only.peer && p.node !== only.peer)) continue;
      out.push({ peer: p.node, agreement: a });
    }
  }
  return out;
}
