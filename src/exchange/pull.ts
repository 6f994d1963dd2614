/**
 * The pull, both ways: this node asks a peer for what it has not received (sending its 'in'
 * cursors), and answers a peer's pull by rewinding that feed's 'out' cursors to what the peer says
 * it holds, if less, then pushing. An empty pull is one small round trip.
 */
import { isoMillis } from '../core/index.js';
import { readCursors, setCursor } from './cursors.js';
import type { EngineContext, FeedFilter } from './feeds.js';
import { hasNew } from './offer.js';
import type { InboundLike, PullTransport } from './options.js';
import { EXCHANGE_TYPES, type PullPayload, type PullResult } from './types.js';

/**
 * Asks `peer` for what this node has not received, under each agreement in force with it (or the
 * one named). The peer answers by pushing; `pending` says whether it had anything.
 */
export async function askPull(
  ctx: EngineContext,
  transport: PullTransport,
  peer: string,
  agreement?: string,
): Promise<{ agreement: string; pending: boolean }[]> {
  const db = ctx.database.db;
  const out: { agreement: string; pending: boolean }[] = [];
  for (const f of await ctx.feeds(db, { peer, agreement })) {
    const cursors = await readCursors(db, 'in', { peer, agreement: f.agreement.id });
    const payload: PullPayload = {
      v: 1,
      cursors: Object.fromEntries([...cursors].map(([k, v]) => [k, String(v)])),
    };
    const r = (await transport.ask(peer, EXCHANGE_TYPES.pull, payload, f.agreement.id)) as
      | PullResult
      | undefined;
    out.push({ agreement: f.agreement.id, pending: r?.pending === true });
  }
  return out;
}

/**
 * A peer's pull: rewind to what it says it holds if that is less, and push if there is news.
 * `announce` queues and sends the push (Exchange.announce); its failures go to `onError`.
 */
export async function answerPull(
  ctx: EngineContext,
  c: InboundLike,
  announce: (only: FeedFilter) => Promise<number>,
  onError?: (e: unknown) => void,
): Promise<PullResult> {
  const peer = c.opened.envelope.sender.node;
  const agreement = c.opened.envelope.agreement;
  if (!agreement) return { pending: false };
  const [feed] = await ctx.feeds(c.tx, { peer, agreement });
  if (!feed) return { pending: false };
  const p = c.payload as Partial<PullPayload> | null;
  const theirs = p && typeof p === 'object' && p.cursors && typeof p.cursors === 'object' ? p.cursors : {};
  const ours = await readCursors(c.tx, 'out', { peer, agreement });
  const at = isoMillis(ctx.clock.now());
  for (const [coll, v] of Object.entries(theirs)) {
    const n = typeof v === 'string' && /^[0-9]{1,17}$/.test(v) ? Number(v) : undefined;
    // A peer that lost data (a restored backup) gets it again; it cannot skip ahead.
    if (n !== undefined && ours.has(coll) && n < ours.get(coll)!)
      await setCursor(c.tx, 'out', { peer, agreement }, coll, n, at, 'exact');
  }
  const pending = await hasNew(c.tx, ctx.shared, feed);
  // The push goes after this transaction commits (its own transaction waits for it on SQLite).
  if (pending) setImmediate(() => void announce({ peer, agreement }).catch((e) => onError?.(e)));
  return { pending };
}
