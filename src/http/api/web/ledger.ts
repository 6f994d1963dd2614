/**
 * The ledger screen: size, root and latest signed head; entries; whole-log verification run in the
 * background and recorded (ledger_verifications), so the dashboard can say when it last passed;
 * the proof of an envelope as a download; gossip: each peer's latest head seen, and fork alerts.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { invalid, isoMillis, notFound } from '../../../core/index.js';
import type { LedgerVerificationsTable } from '../../../store/tables/web.js';
import { API, type WebContext } from './deps.js';
import { int, type Query } from './query.js';

const HEX64 = /^[0-9a-f]{64}$/;

export interface Verification {
  id: string;
  state: string;
  started: string;
  finished: string | null;
  ok: boolean | null;
  size: number | null;
  problem: unknown;
  by: string;
}

const toVerification = (r: LedgerVerificationsTable): Verification => ({
  id: r.id,
  state: r.state,
  started: r.started,
  finished: r.finished,
  ok: r.ok === null ? null : r.ok === 1,
  size: r.size,
  problem: r.problem === null ? null : JSON.parse(r.problem),
  by: r.by_principal,
});

export async function lastVerification(ctx: WebContext): Promise<Verification | null> {
  const r = await ctx.database.db
    .selectFrom('ledger_verifications')
    .selectAll()
    .orderBy('started', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toVerification(r) : null;
}

/** Every peer's newest head seen, and alerts; `lastGossip` is the newest head seen from anyone. */
export async function gossipStatus(ctx: WebContext) {
  const peers = await ctx.peers.list();
  const heads = await Promise.all(
    peers.map(async (p) => ({
      peer: p.node,
      party: p.party,
      latest: (await ctx.gossip.latestHead(p.node)) ?? null,
    })),
  );
  const alerts = (await ctx.gossip.alerts()).map(({ evidence: _e, ...a }) => a);
  let lastGossip: { peer: string; at: string; treeSize: number } | null = null;
  for (const h of heads)
    if (h.latest && (!lastGossip || h.latest.seen > lastGossip.at))
      lastGossip = { peer: h.peer, at: h.latest.seen, treeSize: h.latest.treeSize };
  return { peers: heads, alerts, lastGossip };
}

export async function ledgerHead(ctx: WebContext) {
  const size = await ctx.ledger.size();
  return {
    size,
    rootHash: Buffer.from(await ctx.ledger.root()).toString('hex'),
    treeHead: (await ctx.ledger.latestTreeHead()) ?? null,
    publicKey: ctx.ledger.publicKey,
  };
}

export function ledgerRoutes(ctx: WebContext) {
  const { auth, database, clock } = ctx;
  const tags = ['web'];
  const running = new Set<Promise<void>>();

  async function run(id: string): Promise<void> {
    const done = (set: Partial<LedgerVerificationsTable>) =>
      database.db
        .updateTable('ledger_verifications')
        .set({ finished: isoMillis(clock.now()), ...set })
        .where('id', '=', id)
        .execute();
    try {
      const r = await ctx.verifyLedger();
      await done({
        state: 'done',
        ok: r.ok ? 1 : 0,
        size: r.size,
        problem: r.problem ? JSON.stringify(r.problem) : null,
      });
    } catch (e) {
      await done({ state: 'failed', problem: JSON.stringify({ message: (e as Error).message }) }).catch(
        () => {},
      );
    }
  }

  return (app: FastifyInstance): void => {
    // A verification still running when the server closes is waited for, so the row is final.
    app.addHook('onClose', async () => {
      await Promise.all([...running]);
    });

    app.get(
      `${API}/ledger`,
      {
        onRequest: auth.allow('overview'),
        schema: { summary: 'ledger size, root, latest signed head', tags },
      },
      async () => ({ ...(await ledgerHead(ctx)), lastVerification: await lastVerification(ctx) }),
    );

    app.get(
      `${API}/ledger/entries`,
      { onRequest: auth.allow('overview'), schema: { summary: 'ledger entries, a page', tags } },
      async (req) => {
        const q = req.query as Query;
        const size = await ctx.ledger.size();
        const limit = int(q, 'limit', 50, 1, 500);
        // Without `from`: the newest page, newest first.
        if (q.from === undefined) {
          const from = Math.max(0, size - limit);
          return { items: (await ctx.ledger.entries(from, limit)).reverse(), size };
        }
        return {
          items: await ctx.ledger.entries(int(q, 'from', 0, 0, Number.MAX_SAFE_INTEGER), limit),
          size,
        };
      },
    );

    app.post(
      `${API}/ledger/verify`,
      {
        onRequest: auth.allow('ledger.verify'),
        schema: { summary: 'verify the whole log (in the background)', tags },
      },
      async (req, reply) => {
        const id = randomUUID();
        await database.db
          .insertInto('ledger_verifications')
          .values({
            id,
            state: 'running',
            started: isoMillis(clock.now()),
            finished: null,
            ok: null,
            size: null,
            problem: null,
            by_principal: req.caller?.id ?? 'unknown',
          })
          .execute();
        const p = run(id).finally(() => running.delete(p));
        running.add(p);
        return reply.status(202).send({ id, state: 'running' });
      },
    );

    app.get<{ Params: { id: string } }>(
      `${API}/ledger/verify/:id`,
      { onRequest: auth.allow('overview'), schema: { summary: 'a verification run (or the latest)', tags } },
      async (req) => {
        if (req.params.id === 'latest') {
          const v = await lastVerification(ctx);
          if (!v) throw notFound('ledger.no_verification', 'the ledger has not been verified yet');
          return v;
        }
        const r = await database.db
          .selectFrom('ledger_verifications')
          .selectAll()
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!r) throw notFound('ledger.no_verification', `no verification run ${req.params.id}`);
        return toVerification(r);
      },
    );

    app.get<{ Params: { hash: string } }>(
      `${API}/ledger/proof/:hash`,
      {
        onRequest: auth.allow('overview'),
        schema: { summary: 'the inclusion proof of an envelope (download)', tags },
      },
      async (req, reply) => {
        const hash = req.params.hash.toLowerCase();
        if (!HEX64.test(hash))
          throw invalid('ledger.bad_hash', 'envelope hash must be 64 hexadecimal digits (SHA-256)', {
            field: 'hash',
          });
        const proof = await ctx.ledger.prove(hash);
        reply.header('content-disposition', `attachment; filename="proof-${hash.slice(0, 16)}.json"`);
        return proof;
      },
    );

    app.get(
      `${API}/ledger/gossip`,
      { onRequest: auth.allow('overview'), schema: { summary: "peers' tree heads seen, and alerts", tags } },
      async () => {
        const { peers, alerts } = await gossipStatus(ctx);
        return { peers, alerts };
      },
    );
  };
}
