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
 * See docs/EXCHANGE.md for the rules and their reasons.
 */
import type { Kysely, Transaction } from 'kysely';
import { type Clock, isoMillis, systemClock } from '../core/index.js';
import type { Outbox, OutboxItem, PassResult, SendOutcome } from '../outbox/index.js';
import type { AgreementDocument } from '../pact/index.js';
import { createStixStore, type Database, type Schema, type StixStore } from '../store/index.js';
import type { InboundTaxii } from './collections.js';
import { readCursors, setCursor } from './cursors.js';
import { checkGrant, type GrantInput, grantNames, storeGrant } from './grants.js';
import { type Feed, hasNew, nextOffer, type OfferLimits, sourcesFor } from './offer.js';
import { receiveBatch } from './receive.js';
import { EXCHANGE_TYPES, inboundAlias, type PullPayload, type PullResult, type PushItem } from './types.js';

type Db = Kysely<Schema> | Transaction<Schema>;

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

const laneOf = (agreement: string) => `intel:${agreement}`;
const feedKey = (peer: string, agreement: string) => `${peer}\u0000${agreement}`;

export class Exchange {
  readonly stats: ExchangeStats = { batchesSent: 0, objectsSent: 0, oversized: 0 };
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly shared: string[];
  private readonly taxii: InboundTaxii;
  private readonly limits: OfferLimits;
  private readonly store: StixStore;
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
  private readonly depth: number;
  private timer?: NodeJS.Timeout;
  private notifying = false;
  private notifyAgain = false;

  constructor(private readonly opts: ExchangeOptions) {
    this.db = opts.database;
    this.clock = opts.clock ?? systemClock;
    this.shared = opts.shared ?? ['local'];
    this.taxii = { apiRoot: opts.taxii?.apiRoot ?? 'parley', readerRole: opts.taxii?.readerRole ?? 'reader' };
    const maxEnvelope = opts.maxEnvelopeBytes ?? 1024 * 1024;
    this.limits = {
      // Base64url makes the payload 4/3 larger; the header and recipients take a few hundred bytes.
      maxPayloadBytes: Math.floor(((maxEnvelope - 4096) * 3) / 4),
      // What compresses (about 4:1 for STIX, then base64) under that; a batch that does not is halved.
      maxRawBytes: Math.floor(((maxEnvelope - 4096) * 3) / 4) * 2.5,
      maxObjects: Math.min(opts.maxObjects ?? 5_000, MAX_BATCH_OBJECTS),
      pageSize: 500,
    };
    this.store = createStixStore(this.db, { clock: this.clock });
    this.depth = Math.max(1, Math.min(opts.pipelineDepth ?? 2, 8));
    if (this.depth > 1) opts.outbox.pipeline(EXCHANGE_TYPES.batch, this.depth);
    opts.outbox.prepare(EXCHANGE_TYPES.batch, (item) => this.prepare(item));
    opts.outbox.onSettled(EXCHANGE_TYPES.batch, (tx, item, outcome) => this.settled(tx, item, outcome));
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
      [EXCHANGE_TYPES.pull]: (c) => this.answerPull(c),
    };
  }

  /** The feeds of this node: one per (agreement in force, other party), optionally narrowed. */
  async feeds(db: Db = this.db.db, only: { peer?: string; agreement?: string } = {}): Promise<Feed[]> {
    const out: Feed[] = [];
    for (const a of await this.opts.agreements.inForceNow(db)) {
      if (only.agreement && a.id !== only.agreement) continue;
      if (!a.doc.parties.some((p) => p.node === this.opts.self)) continue;
      for (const p of a.doc.parties) {
        if (p.node === this.opts.self || (only.peer && p.node !== only.peer)) continue;
        out.push({ peer: p.node, agreement: a });
      }
    }
    return out;
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
        if (await this.queue(tx, f, 'push')) queued++;
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
    const out: { agreement: string; pending: boolean }[] = [];
    for (const f of await this.feeds(this.db.db, { peer, agreement })) {
      const cursors = await readCursors(this.db.db, 'in', { peer, agreement: f.agreement.id });
      const payload: PullPayload = {
        v: 1,
        cursors: Object.fromEntries([...cursors].map(([k, v]) => [k, String(v)])),
      };
      const r = (await this.opts.transport.ask(peer, EXCHANGE_TYPES.pull, payload, f.agreement.id)) as
        | PullResult
        | undefined;
      out.push({ agreement: f.agreement.id, pending: r?.pending === true });
    }
    return out;
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
      // Where the objects are held (received from peers): the earliest date_added per collection.
      const held = await tx
        .selectFrom('exchange_provenance')
        .select(['object_id', 'collection_id'])
        .where('object_id', 'in', grant.objectRefs)
        .execute();
      if (held.length === 0) return;
      const store = createStixStore(
        { ...this.db, db: tx, transaction: (fn) => fn(tx) },
        { clock: this.clock },
      );
      const first = new Map<string, number>();
      for (const h of held) {
        for (const v of await store.versions(h.collection_id, h.object_id)) {
          const us = Number(v.dateAddedUs);
          if (us < (first.get(h.collection_id) ?? Number.POSITIVE_INFINITY)) first.set(h.collection_id, us);
        }
      }
      for (const f of await this.feeds(tx)) {
        if (!grantNames(grant, f.peer, f.agreement.id)) continue;
        const key = { peer: f.peer, agreement: f.agreement.id };
        const cursors = await readCursors(tx, 'out', key);
        for (const [coll, us] of first)
          if ((cursors.get(coll) ?? 0) >= us) await setCursor(tx, 'out', key, coll, us - 1, at, 'exact');
      }
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
  async status(only: { peer?: string; agreement?: string } = {}): Promise<FeedStatus[]> {
    const out: FeedStatus[] = [];
    const db = this.db.db;
    for (const f of await this.feeds(db, only)) {
      const key = { peer: f.peer, agreement: f.agreement.id };
      const cursors = await readCursors(db, 'out', key);
      let waiting = 0;
      for (const src of await sourcesFor(db, this.shared, f.peer)) {
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
      const queued = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('peer', '=', f.peer)
        .where('lane', '=', laneOf(f.agreement.id))
        .where('state', '=', 'pending')
        .executeTakeFirstOrThrow();
      const moved = await db
        .selectFrom('exchange_cursors')
        .select((eb) => eb.fn.max('updated_at').as('at'))
        .where('direction', '=', 'out')
        .where('peer', '=', f.peer)
        .where('agreement', '=', f.agreement.id)
        .executeTakeFirst();
      const inbound = await this.store.getCollection(inboundAlias(f.peer));
      out.push({
        peer: f.peer,
        agreement: f.agreement.id,
        waiting,
        queued: Number(queued.n),
        lastSent: (moved?.at as string | null | undefined) ?? null,
        received: inbound ? (await this.store.count(inbound.id)).versions : 0,
      });
    }
    return out;
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

  // ---- internals ----

  /**
   * Queues one item for a feed if it has news and its lane does not already hold two pending
   * items: of two, at most the first can be in flight (it may have read the store already), so the
   * second will see everything written since.
   */
  private async queue(tx: Transaction<Schema>, f: Feed, reason: PushItem['reason']): Promise<boolean> {
    if (!(await hasNew(tx, this.shared, f))) return false;
    const pending = await tx
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('peer', '=', f.peer)
      .where('lane', '=', laneOf(f.agreement.id))
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    // With batches in flight, the lane holds one more item than it sends at once.
    if (Number(pending.n) >= Math.max(2, this.depth)) return false;
    const payload: PushItem = { v: 1, reason };
    await this.opts.outbox.enqueue(tx, [
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
  private async prepare(item: OutboxItem): Promise<{ payload: unknown } | { nothing: true }> {
    const [feed] = item.agreement
      ? await this.feeds(this.db.db, { peer: item.peer, agreement: item.agreement })
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
        this.db.db,
        this.store,
        this.opts.self,
        this.shared,
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
        await setCursor(this.db.db, 'out', key, offer.collection, offer.upToUs, isoMillis(this.clock.now()));
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
      if (this.depth > 1 && offer.more) await this.db.transaction((tx) => this.queue(tx, feed, 'continue'));
      return { payload: offer.payload };
    }
  }

  /**
   * In the transaction that settles an item: a receipt moves the cursor when it continues what was
   * acknowledged before (a batch whose predecessor failed moves nothing: its range is read again);
   * more waiting, more queued.
   */
  private async settled(tx: Transaction<Schema>, item: OutboxItem, outcome: SendOutcome): Promise<void> {
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
      await setCursor(tx, 'out', key, sent.collection, sent.upToUs, isoMillis(this.clock.now()));
    this.stats.batchesSent++;
    this.stats.objectsSent += sent.objects;
    const [feed] = await this.feeds(tx, key);
    if (feed) await this.queue(tx, feed, 'continue');
  }

  /** A peer's pull: rewind to what it says it holds if that is less, and push if there is news. */
  private async answerPull(c: InboundLike): Promise<PullResult> {
    const peer = c.opened.envelope.sender.node;
    const agreement = c.opened.envelope.agreement;
    if (!agreement) return { pending: false };
    const [feed] = await this.feeds(c.tx, { peer, agreement });
    if (!feed) return { pending: false };
    const p = c.payload as Partial<PullPayload> | null;
    const theirs = p && typeof p === 'object' && p.cursors && typeof p.cursors === 'object' ? p.cursors : {};
    const ours = await readCursors(c.tx, 'out', { peer, agreement });
    const at = isoMillis(this.clock.now());
    for (const [coll, v] of Object.entries(theirs)) {
      const n = typeof v === 'string' && /^[0-9]{1,17}$/.test(v) ? Number(v) : undefined;
      // A peer that lost data (a restored backup) gets it again; it cannot skip ahead.
      if (n !== undefined && ours.has(coll) && n < ours.get(coll)!)
        await setCursor(c.tx, 'out', { peer, agreement }, coll, n, at, 'exact');
    }
    const pending = await hasNew(c.tx, this.shared, feed);
    // The push goes after this transaction commits (its own transaction waits for it on SQLite).
    if (pending)
      setImmediate(() => void this.announce({ peer, agreement }).catch((e) => this.opts.onError?.(e)));
    return { pending };
  }
}

export const createExchange = (opts: ExchangeOptions): Exchange => new Exchange(opts);
