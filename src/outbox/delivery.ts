/**
 * One delivery pass of the outbox (see outbox.ts for the guarantees): which items are due, the
 * lease that keeps two workers from sending one item at once, the pipelined lanes, and what an
 * attempt comes to (settled, or due again after a backoff with jitter).
 */
import { type Clock, ParleyError } from '../core/index.js';
import { type Backoff, retryDelay } from './backoff.js';
import type { OutboxStore } from './store.js';
import {
  type OutboxItem,
  type OutboxSender,
  type OutboxState,
  type OutboxTable,
  type PassResult,
  type Preparer,
  type SendOutcome,
  type SettledListener,
  toItem,
} from './types.js';

/** What a pass reads from the outbox it runs for (the maps are the outbox's own, read live). */
export interface DeliveryContext {
  store: OutboxStore;
  clock: Clock;
  backoff: Backoff;
  leaseMs: number;
  concurrency: number;
  random: () => number;
  listeners: ReadonlyMap<string, SettledListener[]>;
  preparers: ReadonlyMap<string, Preparer>;
  depths: ReadonlyMap<string, number>;
}

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

/** Attempts the head of every lane that is due, and goes on down each lane while its items are delivered. */
export async function deliverOnce(ctx: DeliveryContext, sender: OutboxSender): Promise<PassResult> {
  const now = ctx.clock.now();
  // The head of each (peer, lane): the lowest pending seq. Pending items are few in steady state;
  // the page bounds a pass after a long outage, and the next pass takes the rest.
  const pending = await ctx.store.pending(5_000);
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
      const depth = ctx.depths.get(row.type) ?? 1;
      if (depth > 1) {
        await runLane(ctx, sender, row, now, depth, res);
        continue;
      }
      const r = await attempt(ctx, sender, row, now);
      if (r) {
        res.attempted++;
        res[r]++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.concurrency, due.length) }, work));
  return res;
}

async function attempt(
  ctx: DeliveryContext,
  sender: OutboxSender,
  row: OutboxTable,
  now: number,
): Promise<'delivered' | 'refused' | 'retrying' | 'skipped' | undefined> {
  const started = await begin(ctx, sender, row, now);
  if (!started) return undefined;
  return finish(ctx, started.item, await started.outcome);
}

/**
 * A pipelined lane from its head: each item is leased and prepared in order, its send left
 * running while the next is prepared, at most `depth` sends in flight; outcomes are settled in
 * order. The lane stops at the first item that is not delivered or skipped (the rest waits for
 * the next pass, as in an ordinary lane), at an item of another type, or at one not due.
 */
async function runLane(
  ctx: DeliveryContext,
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
    const r = await finish(ctx, f.item, await f.outcome);
    res.attempted++;
    res[r]++;
    if (r !== 'delivered' && r !== 'skipped') stop = true;
  };
  let row: OutboxTable | undefined = head;
  while (row && !stop) {
    const started = await begin(ctx, sender, row, now);
    // Another worker leased it: the lane is theirs now.
    if (!started) break;
    flight.push(started);
    if (flight.length >= depth) await settleOldest();
    if (stop) break;
    const last: OutboxTable = row;
    row = await ctx.store.nextInLane(last);
    now = ctx.clock.now();
    if (row && (row.type !== head.type || Number(row.next_attempt_at) > now)) row = undefined;
  }
  while (flight.length > 0) await settleOldest();
}

/** Leases an item and prepares it; its send is left running (undefined: another worker has it). */
async function begin(
  ctx: DeliveryContext,
  sender: OutboxSender,
  row: OutboxTable,
  now: number,
): Promise<Started | undefined> {
  // Lease: only the worker whose conditional update matched sends.
  if (!(await ctx.store.lease(row, now + ctx.leaseMs))) return undefined;
  const item = toItem(row);
  try {
    const prep = ctx.preparers.get(item.type);
    const prepared = prep ? await prep(item) : { payload: item.payload };
    if ('nothing' in prepared) return { item, outcome: Promise.resolve('skip' as const) };
    return { item, outcome: sender.send({ ...item, payload: prepared.payload }).catch(failed) };
  } catch (e) {
    return { item, outcome: Promise.resolve(failed(e)) };
  }
}

/** Records what an attempt came to: settled, or due again after a backoff. */
async function finish(
  ctx: DeliveryContext,
  item: OutboxItem,
  outcome: SendOutcome | 'skip',
): Promise<'delivered' | 'refused' | 'retrying' | 'skipped'> {
  if (outcome === 'skip') {
    try {
      await settle(ctx, item, 'skipped', { ok: true, envelopeId: '', envelopeHash: '', answer: null });
      return 'skipped';
    } catch (e) {
      outcome = failed(e);
    }
  }
  const attempts = item.attempts + 1;
  const at = ctx.clock.now();
  if (!outcome.ok && outcome.retry) {
    await ctx.store.retryAt(
      item.id,
      attempts,
      at + retryDelay(attempts, ctx.backoff, ctx.random),
      `${outcome.code}: ${outcome.message}`,
    );
    return 'retrying';
  }
  const state: OutboxState = outcome.ok ? 'delivered' : 'refused';
  await settle(ctx, item, state, outcome);
  return state;
}

function settle(
  ctx: DeliveryContext,
  item: OutboxItem,
  state: OutboxState,
  outcome: SendOutcome,
): Promise<void> {
  return ctx.store.settle(item, state, outcome, ctx.clock.now(), ctx.listeners.get(item.type) ?? []);
}
