/**
 * Where each feed stands, for `parley exchange status`: read-only counts from the cursors, the
 * store and the outbox.
 */
import { readCursors } from './cursors.js';
import { type EngineContext, type FeedFilter, pendingInLane } from './feeds.js';
import { sourcesFor } from './offer.js';
import { inboundAlias } from './types.js';

/** One feed's state (status()). */
export interface FeedStatus {
  peer: string;
  agreement: string;
  /** Object versions past the acknowledged cursors, before the sharing rules filter them. */
  waiting: number;
  /** Items pending in the feed's outbox lane. */
  queued: number;
  /** When the peer last acknowledged a batch (or the cursor last moved), null if never. */
  lastSent: string | null;
  /** Object versions held from that peer (its `from-<peer>` collection, every agreement). */
  received: number;
}

/**
 * How many objects wait past the acknowledged cursors (before filtering), the items queued in the
 * feed's lane, when its cursor last moved, and how much this node holds from that peer.
 */
export async function feedStatus(ctx: EngineContext, only: FeedFilter = {}): Promise<FeedStatus[]> {
  const out: FeedStatus[] = [];
  const db = ctx.database.db;
  for (const f of await ctx.feeds(db, only)) {
    const key = { peer: f.peer, agreement: f.agreement.id };
    const cursors = await readCursors(db, 'out', key);
    let waiting = 0;
    for (const src of await sourcesFor(db, ctx.shared, f.peer)) {
      const after = cursors.get(src.id) ?? 0;
      if (src.lastAddedUs <= after) continue;
      const n = await db
        .selectFrom('stix_objects')
        .innerJoin('stix_collections', 'stix_collections.seq', 'stix_objects.collection_seq')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('stix_collections.id', '=', src.id)
        .where('stix_objects.date_added_us', '>', after)
        .executeTakeFirstOrThrow();
      waiting += Number(n.n);
    }
    const queued = await pendingInLane(db, f);
    const moved = await db
      .selectFrom('exchange_cursors')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .where('direction', '=', 'out')
      .where('peer', '=', f.peer)
      .where('agreement', '=', f.agreement.id)
      .executeTakeFirst();
    const inbound = await ctx.store.getCollection(inboundAlias(f.peer));
    out.push({
      peer: f.peer,
      agreement: f.agreement.id,
      waiting,
      queued,
      lastSent: (moved?.at as string | null | undefined) ?? null,
      received: inbound ? (await ctx.store.count(inbound.id)).versions : 0,
    });
  }
  return out;
}
