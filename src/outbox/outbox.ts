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
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { type Clock, invalid, isoMillis, ParleyError, systemClock } from '../core/index.js';
import type { Database, Schema } from '../store/index.js';
import { type Backoff, DEFAULT_BACKOFF, retryDelay } from './backoff.js';
import {
  type OutboxInput,
  type OutboxItem,
  type OutboxOptions,
  type OutboxSender,
  type OutboxState,
  type OutboxTable,
  type PassResult,
  type Preparer,
  type SendOutcome,
  type SettledListener,
  toItem,
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
};

const LANE_RE = /^[\x21-\x7e]{0,200}$/;

/** An item leased and prepared, its send under way (or 'skip': nothing to send). */
interface Started {
  item: OutboxItem;
  outcome: Promise<SendOutcome | 'skip'>;
}

/** A failure before or during a send: tried again later. */
const failed = (e: unknown): SendOutcome => ({
  ok: false,
  retry: true,
  code: e instanceof ParleyError ? e.code : 'outbox.send_failed',
  message: (e as Error).message,
});

export class Outbox {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly random: () => number;
  private readonly listeners = new Map<string, SettledListener[]>();
  private readonly preparers = new Map<string, Preparer>();
  private readonly depths = new Map<string, number>();
  private sender?: OutboxSender;
  private running?: Promise<PassResult>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private started = false;

  constructor(opts: OutboxOptions) {
    this.db = opts.database;
    this.clock = opts.clock ?? systemClock;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.concurrency = opts.concurrency ?? 8;
    this.random = opts.random ?? Math.random;
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
    const now = this.clock.now();
    const rows = items.map((i) => {
      const lane = i.lane ?? '';
      if (!LANE_RE.test(lane))
        throw invalid('outbox.bad_lane', `outbox lane "${lane}" is not printable ASCII`);
      let payload: string;
      try {
        payload = JSON.stringify(i.payload);
      } catch (e) {
        throw invalid('outbox.bad_payload', `outbox payload is not JSON: ${(e as Error).message}`);
      }
      if (payload === undefined) throw invalid('outbox.bad_payload', 'outbox payload is undefined');
      return {
        id: randomUUID(),
        peer: i.peer,
        type: i.type,
        agreement: i.agreement,
        payload,
        lane,
        ref: i.ref ?? null,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: isoMillis(now),
        delivered_at: null,
        envelope_id: null,
        envelope_hash: null,
        answer: null,
      };
    });
    if (rows.length === 0) return [];
    const out = await tx.insertInto('outbox').values(rows).returningAll().execute();
    return out.map(toItem);
  }

  async get(id: string): Promise<OutboxItem | undefined> {
    const r = await this.db.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toItem(r);
  }

  /** Items by ref (what the writer recorded), in order. */
  async byRef(ref: string, tx?: Transaction<Schema>): Promise<OutboxItem[]> {
    const rows = await (tx ?? this.db.db)
      .selectFrom('outbox')
      .selectAll()
      .where('ref', '=', ref)
      .orderBy('seq')
      .execute();
    return rows.map(toItem);
  }

  /** Items, newest first: all, or those in one state. */
  async list(opts: { state?: OutboxState; peer?: string; limit?: number } = {}): Promise<OutboxItem[]> {
    let q = this.db.db.selectFrom('outbox').selectAll();
    if (opts.state) q = q.where('state', '=', opts.state);
    if (opts.peer) q = q.where('peer', '=', opts.peer);
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(opts.limit ?? 100)
      .execute();
    return rows.map(toItem);
  }

  /** Makes every pending item (of one peer, or all) due now: after an operator knows a peer is back. */
  async retryNow(peer?: string): Promise<number> {
    let q = this.db.db
      .updateTable('outbox')
      .set({ next_attempt_at: this.clock.now() })
      .where('state', '=', 'pending');
    if (peer) q = q.where('peer', '=', peer);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
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
    const now = this.clock.now();
    // The head of each (peer, lane): the lowest pending seq. Pending items are few in steady state;
    // the page bounds a pass after a long outage, and the next pass takes the rest.
    const pending = await this.db.db
      .selectFrom('outbox')
      .selectAll()
      .where('state', '=', 'pending')
      .orderBy('seq')
      .limit(5_000)
      .execute();
    const heads = new Map<string, OutboxTable>();
    for (const r of pending) {
      const k = `${r.peer}\u0000${r.lane}`;
      if (!heads.has(k)) heads.set(k, r);
    }
    const due = [...heads.values()].filter((r) => Number(r.next_attempt_at) <= now);
    const res: PassResult = { attempted: 0, delivered: 0, refused: 0, retrying: 0, skipped: 0 };
    let next = 0;
    const work = async () => {
      while (next < due.length) {
        const row = due[next++]!;
        const depth = this.depths.get(row.type) ?? 1;
        if (depth > 1) {
          await this.runLane(sender, row, now, depth, res);
          continue;
        }
        const r = await this.attempt(sender, row, now);
        if (r) {
          res.attempted++;
          res[r]++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, due.length) }, work));
    return res;
  }

  private async attempt(
    sender: OutboxSender,
    row: OutboxTable,
    now: number,
  ): Promise<'delivered' | 'refused' | 'retrying' | 'skipped' | undefined> {
    const started = await this.begin(sender, row, now);
    if (!started) return undefined;
    return this.finish(started.item, await started.outcome);
  }

  /**
   * A pipelined lane from its head: each item is leased and prepared in order, its send left
   * running while the next is prepared, at most `depth` sends in flight; outcomes are settled in
   * order. The lane stops at the first item that is not delivered or skipped (the rest waits for
   * the next pass, as in an ordinary lane), at an item of another type, or at one not due.
   */
  private async runLane(
    sender: OutboxSender,
    head: OutboxTable,
    now: number,
    depth: number,
    res: PassResult,
  ): Promise<void> {
    const flight: Started[] = [];
    let stop = false;
    const settleOldest = async () => {
      const f = flight.shift()!;
      const r = await this.finish(f.item, await f.outcome);
      res.attempted++;
      res[r]++;
      if (r !== 'delivered' && r !== 'skipped') stop = true;
    };
    let row: OutboxTable | undefined = head;
    while (row && !stop) {
      const started = await this.begin(sender, row, now);
      // Another worker leased it: the lane is theirs now.
      if (!started) break;
      flight.push(started);
      if (flight.length >= depth) await settleOldest();
      if (stop) break;
      const last: OutboxTable = row;
      row = await this.db.db
        .selectFrom('outbox')
        .selectAll()
        .where('state', '=', 'pending')
        .where('peer', '=', last.peer)
        .where('lane', '=', last.lane)
        .where('seq', '>', last.seq)
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst();
      now = this.clock.now();
      if (row && (row.type !== head.type || Number(row.next_attempt_at) > now)) row = undefined;
    }
    while (flight.length > 0) await settleOldest();
  }

  /** Leases an item and prepares it; its send is left running (undefined: another worker has it). */
  private async begin(sender: OutboxSender, row: OutboxTable, now: number): Promise<Started | undefined> {
    // Lease: only the worker whose conditional update matched sends.
    const leased = await this.db.db
      .updateTable('outbox')
      .set({ next_attempt_at: now + this.leaseMs })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    if (Number(leased.numUpdatedRows) !== 1) return undefined;
    const item = toItem(row);
    try {
      const prep = this.preparers.get(item.type);
      const prepared = prep ? await prep(item) : { payload: item.payload };
      if ('nothing' in prepared) return { item, outcome: Promise.resolve('skip' as const) };
      return { item, outcome: sender.send({ ...item, payload: prepared.payload }).catch(failed) };
    } catch (e) {
      return { item, outcome: Promise.resolve(failed(e)) };
    }
  }

  /** Records what an attempt came to: settled, or due again after a backoff. */
  private async finish(
    item: OutboxItem,
    outcome: SendOutcome | 'skip',
  ): Promise<'delivered' | 'refused' | 'retrying' | 'skipped'> {
    if (outcome === 'skip') {
      try {
        await this.settle(item, 'skipped', { ok: true, envelopeId: '', envelopeHash: '', answer: null });
        return 'skipped';
      } catch (e) {
        outcome = failed(e);
      }
    }
    const attempts = item.attempts + 1;
    const at = this.clock.now();
    if (!outcome.ok && outcome.retry) {
      await this.db.db
        .updateTable('outbox')
        .set({
          attempts,
          next_attempt_at: at + retryDelay(attempts, this.backoff, this.random),
          last_error: `${outcome.code}: ${outcome.message}`.slice(0, 1000),
        })
        .where('id', '=', item.id)
        .execute();
      return 'retrying';
    }
    const state: OutboxState = outcome.ok ? 'delivered' : 'refused';
    await this.settle(item, state, outcome);
    return state;
  }

  private async settle(item: OutboxItem, state: OutboxState, outcome: SendOutcome): Promise<void> {
    const attempts = item.attempts + 1;
    const at = this.clock.now();
    await this.db.transaction(async (tx) => {
      const settled = await tx
        .updateTable('outbox')
        .set({
          state,
          attempts,
          delivered_at: outcome.ok ? isoMillis(at) : null,
          last_error: outcome.ok ? null : `${outcome.code}: ${outcome.message}`.slice(0, 1000),
          envelope_id: outcome.ok && outcome.envelopeId ? outcome.envelopeId : null,
          envelope_hash: outcome.ok && outcome.envelopeHash ? outcome.envelopeHash : null,
          answer: outcome.ok ? JSON.stringify(outcome.answer ?? null) : null,
        })
        .where('id', '=', item.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      for (const fn of this.listeners.get(item.type) ?? []) await fn(tx, toItem(settled), outcome);
    });
  }
}
