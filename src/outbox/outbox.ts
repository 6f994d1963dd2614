/**
 * The durable outbox. A part that must tell a peer something writes an item with `enqueue(tx, ...)`
 * in the same transaction as the change it announces, so the change and the promise to deliver it
 * commit together or not at all. After commit, `kick()` (or the worker's timer) delivers it:
 *
 * - one item per peer; items of one (peer, lane) go one after the other in the order written (a
 *   hotline thread is a lane), lanes and peers independently;
 * - the payload is sealed afresh at every attempt, so an envelope never expires in the queue; the
 *   receiving side is idempotent on the ids inside the payload, so a delivery repeated after a lost
 *   answer changes nothing there;
 * - a transient failure (peer unreachable, 5xx) retries with exponential backoff and jitter; a
 *   refusal (4xx: the peer read the envelope and said no) ends the item as 'refused' and the lane
 *   goes on;
 * - an attempt leases its item (next_attempt_at moves past the attempt's timeout) with a conditional
 *   update, so two workers on one database (a server and a CLI command) never send it twice at once.
 *
 * Listeners registered with `onSettled(type, ...)` run in the transaction that marks an item
 * delivered or refused: the hotline records "delivered" with the receipt there.
 *
 * A type may be **pipelined** (`pipeline(type, depth)`): up to `depth` of its items are then in
 * flight at once in one lane, so the next item is prepared and sealed while the peer works on the
 * one before. Items are still prepared one after the other and settled in the order written; only
 * their sends overlap. The exchange uses it: its cursor moves on a receipt only when that receipt
 * continues the range already acknowledged, so a batch whose predecessor failed changes nothing.
 *
 * This file is the public class; a pass (what is due, leases, pipelined lanes, retries) is in
 * delivery.ts, the table access in store.ts.
 */
import type { Transaction } from 'kysely';
import { type Clock, invalid, ParleyError, systemClock } from '../core/index.js';
import type { Schema } from '../store/index.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { type DeliveryContext, deliverOnce } from './delivery.js';
import { OutboxStore } from './store.js';
import type {
  OutboxInput,
  OutboxItem,
  OutboxOptions,
  OutboxSender,
  OutboxState,
  PassResult,
  Preparer,
  SettledListener,
} from './types.js';

export type {
  OutboxInput,
  OutboxItem,
  OutboxOptions,
  OutboxSender,
  OutboxState,
  PassResult,
  Preparer,
  SendOutcome,
  SettledListener,
} from './types.js';

export class Outbox {
  private readonly clock: Clock;
  private readonly pollMs: number;
  private readonly listeners = new Map<string, SettledListener[]>();
  private readonly preparers = new Map<string, Preparer>();
  private readonly depths = new Map<string, number>();
  private readonly store: OutboxStore;
  /** What a delivery pass reads: the settings, and the registrations above (the same maps, read live). */
  private readonly delivery: DeliveryContext;
  private sender?: OutboxSender;
  private running?: Promise<PassResult>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private started = false;

  constructor(opts: OutboxOptions) {
    this.clock = opts.clock ?? systemClock;
    this.pollMs = opts.pollMs ?? 1_000;
    this.store = new OutboxStore(opts.database);
    this.delivery = {
      store: this.store,
      clock: this.clock,
      backoff: opts.backoff ?? DEFAULT_BACKOFF,
      leaseMs: opts.leaseMs ?? 60_000,
      concurrency: opts.concurrency ?? 8,
      random: opts.random ?? Math.random,
      listeners: this.listeners,
      preparers: this.preparers,
      depths: this.depths,
    };
  }

  /** Sets who delivers (the composition root wires the peer messenger). */
  useSender(sender: OutboxSender): this {
    this.sender = sender;
    return this;
  }

  /** Runs `fn` in the transaction that settles each item of `type` (delivered or refused). */
  onSettled(type: string, fn: SettledListener): this {
    const l = this.listeners.get(type) ?? [];
    l.push(fn);
    this.listeners.set(type, l);
    return this;
  }

  /** Sets the payload builder of one item type (one per type). */
  prepare(type: string, fn: Preparer): this {
    if (this.preparers.has(type))
      throw new ParleyError('outbox.duplicate_preparer', `a preparer for ${type} exists`, 500);
    this.preparers.set(type, fn);
    return this;
  }

  /** Lets up to `depth` items of `type` be in flight at once in one lane (see the file's comment). */
  pipeline(type: string, depth: number): this {
    if (!Number.isInteger(depth) || depth < 1 || depth > 16)
      throw invalid(
        'outbox.bad_depth',
        `outbox pipeline depth must be an integer from 1 to 16, got ${depth}`,
      );
    this.depths.set(type, depth);
    return this;
  }

  /** Writes items inside the caller's transaction; nothing is sent until that commits. */
  async enqueue(tx: Transaction<Schema>, items: readonly OutboxInput[]): Promise<OutboxItem[]> {
    return this.store.insert(tx, items, this.clock.now());
  }

  async get(id: string): Promise<OutboxItem | undefined> {
    return this.store.get(id);
  }

  /** Items by ref (what the writer recorded), in order. */
  async byRef(ref: string, tx?: Transaction<Schema>): Promise<OutboxItem[]> {
    return this.store.byRef(ref, tx);
  }

  /** Items, newest first: all, or those in one state. */
  async list(opts: { state?: OutboxState; peer?: string; limit?: number } = {}): Promise<OutboxItem[]> {
    return this.store.list(opts);
  }

  /** Makes every pending item (of one peer, or all) due now: after an operator knows a peer is back. */
  async retryNow(peer?: string): Promise<number> {
    return this.store.dueNow(this.clock.now(), peer);
  }

  /**
   * One pass: attempts the head of every lane that is due, and goes on down each lane while its
   * items are delivered. Concurrent calls share one pass (a call during a pass runs one more after).
   */
  pass(): Promise<PassResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      const total: PassResult = { attempted: 0, delivered: 0, refused: 0, retrying: 0, skipped: 0 };
      try {
        do {
          this.again = false;
          const r = await this.passOnce();
          total.attempted += r.attempted;
          total.delivered += r.delivered;
          total.refused += r.refused;
          total.retrying += r.retrying;
          total.skipped += r.skipped;
          if (r.delivered + r.refused + r.skipped > 0) this.again = true;
        } while (this.again);
      } finally {
        this.running = undefined;
      }
      return total;
    })();
    return this.running;
  }

  /** Delivers soon, without waiting: call after the transaction that enqueued commits. */
  kick(): void {
    if (!this.sender) return;
    void this.pass().catch(() => {});
  }

  /** Starts the background worker (a pass every pollMs, and at once). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const tick = () => {
      this.pass()
        .catch(() => {})
        .finally(() => {
          if (this.started) this.timer = setTimeout(tick, this.pollMs).unref();
        });
    };
    tick();
  }

  /** Stops the worker and waits for a pass in flight. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }

  private async passOnce(): Promise<PassResult> {
    const sender = this.sender;
    if (!sender) throw new ParleyError('outbox.no_sender', 'the outbox has no sender', 500);
    return deliverOnce(this.delivery, sender);
  }
}
