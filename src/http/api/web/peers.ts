/**
 * GET /api/v1/peers: the node's peers with their reachability as the outbox saw it. A peer is
 * reachable when nothing to it is failing and something was delivered; unreachable while an item
 * to it has failed at least once and is still pending; unknown (null) when nothing was ever sent.
 */
import type { FastifyInstance } from 'fastify';
import { API, type WebContext } from './deps.js';

export interface PeerStatus {
  node: string;
  party: string;
  url: string;
  fingerprint: string;
  status: string;
  addedAt: string;
  reachable: boolean | null;
  lastDelivered: string | null;
  lastError: string | null;
  pending: number;
}

export async function peerStatus(ctx: WebContext): Promise<PeerStatus[]> {
  const peers = await ctx.peers.list();
  const db = ctx.database.db;
  const delivered = await db
    .selectFrom('outbox')
    .select(['peer', (e) => e.fn.max('delivered_at').as('last')])
    .where('state', '=', 'delivered')
    .groupBy('peer')
    .execute();
  const pending = await db
    .selectFrom('outbox')
    .select(['peer', 'attempts', 'last_error'])
    .where('state', '=', 'pending')
    .orderBy('seq')
    .execute();
  const last = new Map(delivered.map((r) => [r.peer, r.last as string | null]));
  return peers.map((p) => {
    const mine = pending.filter((r) => r.peer === p.node);
    const failing = mine.find((r) => r.attempts > 0);
    const lastDelivered = last.get(p.node) ?? null;
    return {
      node: p.node,
      party: p.party,
      url: p.url,
      fingerprint: p.fingerprint,
      status: p.status,
      addedAt: p.addedAt,
      reachable: failing ? false : lastDelivered ? true : null,
      lastDelivered,
      lastError: failing?.last_error ?? null,
      pending: mine.length,
    };
  });
}

export function peerRoutes(ctx: WebContext) {
  return (app: FastifyInstance): void => {
    app.get(
      `${API}/peers`,
      {
        onRequest: ctx.auth.allow('overview'),
        schema: { summary: 'peers and their reachability', tags: ['web'] },
      },
      async () => ({ items: await peerStatus(ctx) }),
    );
  };
}
