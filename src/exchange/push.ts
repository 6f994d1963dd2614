/**
 * The push side of the engine: a feed with news gets a small outbox item; at send time the
 * outbox's preparer reads the next batch after the cursor (offer.ts); the receipt, in the
 * transaction that settles the item, moves the cursor and queues the rest if more is waiting.
 * With batches pipelined, the next batch is read from where the ones in flight end.
 */
import type { Transaction } from 'kysely';
import { isoMillis } from '../core/index.js';
import type { Outbox, OutboxItem, SendOutcome } from '../outbox/index.js';
import type { Schema } from '../store/index.js';
import { readCursors, setCursor } from './cursors.js';
import { type EngineContext, feedKey, laneOf, pendingInLane } from './feeds.js';
import { type Feed, hasNew, nextOffer, type OfferLimits } from './offer.js';
import type { ExchangeStats } from './options.js';
import { EXCHANGE_TYPES, type PushItem } from './types.js';

export class Pusher {
  /** What each item in flight carries, from its preparation to its receipt. */
  private readonly inflight = new Map<
    string,
    { collection: string; afterUs: number; upToUs: number; objects: number }
  >();
  /**
   * Per feed, where the batches prepared but not yet acknowledged end (per source collection), and
   * which items carry them: the next batch is read from there. Memory only: after a restart, or
   * when a batch fails, the feed starts again from its acknowledged cursors.
   */
  private readonly ahead = new Map<string, { upTo: Map<string, number>; items: Set<string> }>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly outbox: Outbox,
    private readonly limits: OfferLimits,
    /** Batches in flight at once per feed. */
    private readonly depth: number,
    /** The engine's counters (Exchange.stats), counted here. */
    private readonly stats: ExchangeStats,
  ) {}

  /**
   * Queues one item for a feed if it has news and its lane does not already hold two pending
   * items: of two, at most the first can be in flight (it may have read the store already), so the
   * second will see everything written since.
   */
  async queue(tx: Transaction<Schema>, f: Feed, reason: PushItem['reason']): Promise<boolean> {
    if (!(await hasNew(tx, this.ctx.shared, f))) return false;
    // With batches in flight, the lane holds one more item than it sends at once.
    if ((await pendingInLane(tx, f)) >= Math.max(2, this.depth)) return false;
    const payload: PushItem = { v: 1, reason };
    await this.outbox.enqueue(tx, [
      {
        peer: f.peer,
        type: EXCHANGE_TYPES.batch,
        agreement: f.agreement.id,
        payload,
        lane: laneOf(f.agreement.id),
      },
    ]);
    return true;
  }

  /** The outbox's preparer: the next batch of the item's feed, read now. */
  async prepare(item: OutboxItem): Promise<{ payload: unknown } | { nothing: true }> {
    const db = this.ctx.database;
    const [feed] = item.agreement
      ? await this.ctx.feeds(db.db, { peer: item.peer, agreement: item.agreement })
      : [];
    // The agreement is no longer in force (or this peer left it): nothing goes.
    if (!feed) return { nothing: true };
    const fk = feedKey(feed.peer, feed.agreement.id);
    // A new attempt of an item means an earlier one failed: start again from what was acknowledged.
    if (item.attempts > 0 || this.inflight.has(item.id)) this.ahead.delete(fk);
    this.inflight.delete(item.id);
    for (;;) {
      const ahead = this.ahead.get(fk);
      const offer = await nextOffer(
        db.db,
        this.ctx.store,
        this.ctx.self,
        this.ctx.shared,
        feed,
        this.limits,
        ahead?.upTo,
      );
      if (offer.kind === 'nothing') return { nothing: true };
      if (offer.kind === 'filtered') {
        this.stats.oversized += offer.oversized;
        // Behind a batch still unacknowledged the cursor must not move: the item after that
        // batch's receipt reads this range again.
        if (ahead) return { nothing: true };
        // Nothing there this peer may see: the cursor moves on without a message.
        const key = { peer: feed.peer, agreement: feed.agreement.id };
        await setCursor(db.db, 'out', key, offer.collection, offer.upToUs, isoMillis(this.ctx.clock.now()));
        continue;
      }
      const a = ahead ?? { upTo: new Map<string, number>(), items: new Set<string>() };
      a.upTo.set(offer.collection, offer.upToUs);
      a.items.add(item.id);
      this.ahead.set(fk, a);
      this.inflight.set(item.id, {
        collection: offer.collection,
        afterUs: Number(offer.payload.after),
        upToUs: offer.upToUs,
        objects: offer.payload.count,
      });
      // The next batch's item, so the outbox can prepare it while this one travels.
      if (this.depth > 1 && offer.more) await db.transaction((tx) => this.queue(tx, feed, 'continue'));
      return { payload: offer.payload };
    }
  }

  /**
   * In the transaction that settles an item: a receipt moves the cursor when it continues what was
   * acknowledged before (a batch whose predecessor failed moves nothing: its range is read again);
   * more waiting, more queued.
   */
  async settled(tx: Transaction<Schema>, item: OutboxItem, outcome: SendOutcome): Promise<void> {
    const sent = this.inflight.get(item.id);
    this.inflight.delete(item.id);
    if (!sent || !item.agreement) return;
    const fk = feedKey(item.peer, item.agreement);
    const ahead = this.ahead.get(fk);
    if (!outcome.ok || !outcome.envelopeId) {
      this.ahead.delete(fk);
      return;
    }
    ahead?.items.delete(item.id);
    if (ahead?.items.size === 0) this.ahead.delete(fk);
    const key = { peer: item.peer, agreement: item.agreement };
    const acked = (await readCursors(tx, 'out', key)).get(sent.collection) ?? 0;
    if (acked === sent.afterUs)
      await setCursor(tx, 'out', key, sent.collection, sent.upToUs, isoMillis(this.ctx.clock.now()));
    this.stats.batchesSent++;
    this.stats.objectsSent += sent.objects;
    const [feed] = await this.ctx.feeds(tx, key);
    if (feed) await this.queue(tx, feed, 'continue');
  }
}
