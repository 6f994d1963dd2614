/**
 * The sync engine of the CERT-to-CERT link: per agreement in force and per peer, a feed of exactly
 * the objects that peer may see (offer.ts), pushed through the durable outbox after commit and
 * pulled on request, every batch a signed, sealed envelope logged in both ledgers with a receipt.
 *
 *   announce -> outbox item "feed (peer, agreement) has news" (small; lane per agreement)
 *   send time -> preparer reads after the cursor, filters, cuts one envelope's worth
 *   receipt   -> onSettled moves the cursor, queues the rest if more is waiting
 *   pull      -> the peer asks; this node answers by pushing (an empty pull is one small round trip)
 *
 * This file is the engine's public face and its triggers (announce, notify, the poll); the push
 * is in push.ts, the pull in pull.ts, status in status.ts, a grant's effect on the feeds in
 * grant-rewind.ts. See docs/EXCHANGE.md for the rules and their reasons.
 */
import type { Transaction } from 'kysely';
import { type Clock, isoMillis, systemClock } from '../core/index.js';
import type { PassResult } from '../outbox/index.js';
import { createStixStore, type Database, type Schema } from '../store/index.js';
import type { InboundTaxii } from './collections.js';
import { type Db, type EngineContext, type FeedFilter, listFeeds } from './feeds.js';
import { rewindForGrant } from './grant-rewind.js';
import { checkGrant, type GrantInput, storeGrant } from './grants.js';
import type { Feed } from './offer.js';
import {
  type AgreementSource,
  type ExchangeOptions,
  type ExchangeStats,
  type InboundLike,
  MAX_BATCH_OBJECTS,
  MAX_INFLATED_BYTES,
  type PullTransport,
} from './options.js';
import { answerPull, askPull } from './pull.js';
import { Pusher } from './push.js';
import { receiveBatch } from './receive.js';
import { type FeedStatus, feedStatus } from './status.js';
import { EXCHANGE_TYPES } from './types.js';

export type { AgreementSource, ExchangeOptions, ExchangeStats, FeedStatus, InboundLike, PullTransport };
export { MAX_BATCH_OBJECTS, MAX_INFLATED_BYTES };

export class Exchange {
  readonly stats: ExchangeStats = { batchesSent: 0, objectsSent: 0, oversized: 0 };
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly taxii: InboundTaxii;
  /** What push, pull, status and grants share. */
  private readonly ctx: EngineContext;
  private readonly push: Pusher;
  private timer?: NodeJS.Timeout;
  private notifying = false;
  private notifyAgain = false;

  constructor(private readonly opts: ExchangeOptions) {
    this.db = opts.database;
    this.clock = opts.clock ?? systemClock;
    this.taxii = { apiRoot: opts.taxii?.apiRoot ?? 'parley', readerRole: opts.taxii?.readerRole ?? 'reader' };
    this.ctx = {
      database: this.db,
      clock: this.clock,
      self: opts.self,
      shared: opts.shared ?? ['local'],
      store: createStixStore(this.db, { clock: this.clock }),
      feeds: (db, only) => this.feeds(db, only),
    };
    const maxEnvelope = opts.maxEnvelopeBytes ?? 1024 * 1024;
    const limits = {
      // Base64url makes the payload 4/3 larger; the header and recipients take a few hundred bytes.
      maxPayloadBytes: Math.floor(((maxEnvelope - 4096) * 3) / 4),
      // What compresses (about 4:1 for STIX, then base64) under that; a batch that does not is halved.
      maxRawBytes: Math.floor(((maxEnvelope - 4096) * 3) / 4) * 2.5,
      maxObjects: Math.min(opts.maxObjects ?? 5_000, MAX_BATCH_OBJECTS),
      pageSize: 500,
    };
    const depth = Math.max(1, Math.min(opts.pipelineDepth ?? 2, 8));
    this.push = new Pusher(this.ctx, opts.outbox, limits, depth, this.stats);
    if (depth > 1) opts.outbox.pipeline(EXCHANGE_TYPES.batch, depth);
    opts.outbox.prepare(EXCHANGE_TYPES.batch, (item) => this.push.prepare(item));
    opts.outbox.onSettled(EXCHANGE_TYPES.batch, (tx, item, outcome) => this.push.settled(tx, item, outcome));
  }

  /** The inbound handlers to register on the peer inbox, by envelope type. */
  handlers(): Record<string, (ctx: InboundLike) => Promise<unknown>> {
    return {
      [EXCHANGE_TYPES.batch]: (c) =>
        receiveBatch(
          {
            database: this.db,
            self: this.opts.self,
            taxii: this.taxii,
            now: this.clock.now(),
            maxObjects: MAX_BATCH_OBJECTS,
            maxInflatedBytes: MAX_INFLATED_BYTES,
          },
          c.tx,
          c.opened.envelope.sender.node,
          c.opened.envelope.agreement,
          c.payload,
        ),
      [EXCHANGE_TYPES.pull]: (c) =>
        answerPull(
          this.ctx,
          c,
          (only) => this.announce(only),
          (e) => this.opts.onError?.(e),
        ),
    };
  }

  /** The feeds of this node: one per (agreement in force, other party), optionally narrowed. */
  async feeds(db: Db = this.db.db, only: FeedFilter = {}): Promise<Feed[]> {
    return listFeeds(this.opts.agreements, this.opts.self, db, only);
  }

  /**
   * Queues a push for every feed with something past its cursor (one small outbox item each) and
   * kicks the outbox. Call after an ingest commits; the server's poll calls it too. Returns how
   * many items were queued. `deliver: false` only queues (a CLI command that exits at once leaves
   * the sending to the running server's outbox worker).
   */
  async announce(
    only: { peer?: string; agreement?: string } = {},
    opts: { deliver?: boolean } = {},
  ): Promise<number> {
    const n = await this.db.transaction(async (tx) => {
      let queued = 0;
      for (const f of await this.feeds(tx, only)) {
        if (await this.push.queue(tx, f, 'push')) queued++;
      }
      return queued;
    });
    if (n > 0 && opts.deliver !== false) this.opts.outbox.kick();
    return n;
  }

  /**
   * Tells the exchange that something was just committed (an ingest, a TAXII POST, a sighting):
   * one announce soon, however many calls come in the meantime. Never throws; failures go to
   * `onError`. The poll would find the same news later; this makes it go now.
   */
  notify(): void {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    setImmediate(() => {
      this.announce()
        .catch((e) => this.opts.onError?.(e))
        .finally(() => {
          this.notifying = false;
          if (this.notifyAgain) {
            this.notifyAgain = false;
            this.notify();
          }
        });
    });
  }

  /** announce, then deliver until the outbox has nothing more to send now (CLI, tests, benchmarks). */
  async sync(only: { peer?: string; agreement?: string } = {}): Promise<PassResult & { queued: number }> {
    const queued = await this.announce(only);
    const r = await this.opts.outbox.pass();
    return { ...r, queued };
  }

  /**
   * Asks `peer` for what this node has not received, under each agreement in force with it (or the
   * one named). The peer answers by pushing; `pending` says whether it had anything.
   */
  async pull(peer: string, agreement?: string): Promise<{ agreement: string; pending: boolean }[]> {
    return askPull(this.ctx, this.opts.transport, peer, agreement);
  }

  /**
   * Holds a sharing grant from an object's origin (a hotline permission-grant): from now on the
   * objects it covers go to the recipients it names, relayed even under the agreement they came by.
   * `from` is the node whose signed envelope carried the grant (the inbox has checked the
   * signature); it must be the grantor, since a grant speaks for the origin only. Feeds the grant
   * opens are read again from the first object it covers (what the peer has already is counted as
   * present there), and told to push. Inside `tx` when given (the receiving transaction).
   */
  async addGrant(g: GrantInput, ctx: { from: string; tx?: Transaction<Schema> }): Promise<void> {
    const { grant, id } = checkGrant(g, ctx.from);
    const run = async (tx: Transaction<Schema>) => {
      const at = isoMillis(this.clock.now());
      await storeGrant(tx, id, g.agreement, grant, at);
      await rewindForGrant(this.ctx, tx, grant, at);
    };
    if (ctx.tx) await run(ctx.tx);
    else await this.db.transaction(run);
    this.notify();
  }

  /**
   * Where each feed stands (the CLI's `parley exchange status`): how many objects wait past the
   * acknowledged cursors (before filtering), the items queued in its lane, when its cursor last
   * moved, and how much this node holds from that peer.
   */
  async status(only: FeedFilter = {}): Promise<FeedStatus[]> {
    return feedStatus(this.ctx, only);
  }

  /** Starts the poll that catches ingests made by other processes (the server runs it). */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.announce()
        .catch((e) => this.opts.onError?.(e))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.pollMs ?? 5_000).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

export const createExchange = (opts: ExchangeOptions): Exchange => new Exchange(opts);
