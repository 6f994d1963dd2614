/**
 * GET /api/v1/dashboard: the first screen in one call. Sections the caller's role may not see are
 * null (hotline traffic, threat intel, compliance); compliance is null too on a node without it.
 */
import type { FastifyInstance } from 'fastify';
import { parsePeriod } from '../../../compliance/index.js';
import { isoMillis } from '../../../core/index.js';
import type { MessageView } from '../../../hotline/index.js';
import { may } from '../../auth/index.js';
import { API, type WebContext } from './deps.js';
import { intelOverview } from './intel-search.js';
import { gossipStatus, lastVerification, ledgerHead } from './ledger.js';
import { peerStatus } from './peers.js';

/** How many of the latest messages each way the dashboard looks at. */
const RECENT_MESSAGES = 300;

interface Item {
  id: string;
  thread: string;
  direction: 'in' | 'out';
  kind: string;
  subject: string;
  urgency: string;
  exercise: boolean;
  peer: string;
}

export function hotlineSummary(messages: MessageView[], now: number) {
  const awaitingAck: (Item & { ackDue: string; msLeft: number })[] = [];
  const overdue: (Item & { due: string | null; msOver: number | null; escalated: boolean })[] = [];
  for (const m of messages) {
    for (const r of m.recipients) {
      const base: Item = {
        id: m.id,
        thread: m.thread,
        direction: m.direction,
        kind: m.kind,
        subject: m.subject,
        urgency: m.urgency,
        exercise: m.exercise,
        // The other side: the recipient of what was sent, the sender of what came in.
        peer: m.direction === 'out' ? r.node : m.from,
      };
      if (r.overdue) {
        const due = r.acknowledgedAt ? r.respondDue : r.ackDue;
        const t = due ? Date.parse(due) : Number.NaN;
        overdue.push({
          ...base,
          due,
          msOver: Number.isNaN(t) ? null : now - t,
          escalated: r.escalated,
        });
      } else if (r.acknowledgement === 'pending' && r.ackDue && !r.closedAt) {
        awaitingAck.push({ ...base, ackDue: r.ackDue, msLeft: Date.parse(r.ackDue) - now });
      }
    }
  }
  awaitingAck.sort((a, b) => a.msLeft - b.msLeft);
  overdue.sort((a, b) => (b.msOver ?? 0) - (a.msOver ?? 0));
  return { awaitingAck, overdue };
}

/** The current quarter, e.g. 2026-Q2: the compliance figures' default period. */
export const quarterOf = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};

export function dashboardRoutes(ctx: WebContext) {
  const intel = intelOverview(ctx);
  let complianceCache: { key: string; figures: unknown[] } | undefined;
  return (app: FastifyInstance): void => {
    app.get(
      `${API}/dashboard`,
      {
        onRequest: ctx.auth.allow('overview'),
        schema: { summary: 'the dashboard, in one call', tags: ['web'] },
      },
      async (req) => {
        const role = req.caller?.role ?? '';
        const now = ctx.clock.now();
        const agreements = await ctx.pacts.list();
        const inForce = agreements.filter((a) => a.state === 'in_force');
        let hotline = null;
        if (may(role, 'hotline.read')) {
          const [inbox, sent, alerts] = await Promise.all([
            ctx.hotline.inbox({ limit: RECENT_MESSAGES }),
            ctx.hotline.sent({ limit: RECENT_MESSAGES }),
            ctx.hotline.alerts(),
          ]);
          hotline = { ...hotlineSummary([...inbox, ...sent], now), alerts: alerts.length };
        }
        const gossip = await gossipStatus(ctx);
        let compliance: unknown[] | null = null;
        if (ctx.compliance && may(role, 'compliance.read')) {
          const period = parsePeriod(quarterOf(now));
          // A report reads the whole ledger: kept until the ledger grows or the period turns.
          const key = `${period.id}:${await ctx.ledger.size()}:${inForce.map((a) => a.id).join(',')}`;
          if (complianceCache?.key !== key) {
            const figures = [];
            for (const a of inForce) {
              const r = await ctx.compliance.report({ agreement: a.id, period, trend: 4 });
              figures.push({ agreement: a.id, title: a.title, period: period.id, trend: r.trend });
            }
            complianceCache = { key, figures };
          }
          compliance = complianceCache.figures;
        }
        return {
          now: isoMillis(now),
          node: ctx.self,
          agreements: {
            inForce: inForce.length,
            items: agreements.map((a) => ({
              id: a.id,
              title: a.title,
              state: a.state,
              effective: a.effective,
              inForceAt: a.inForceAt,
              parties: a.latest.doc.parties.map((p) => ({ node: p.node, party: p.party })),
            })),
          },
          hotline,
          peers: await peerStatus(ctx),
          ledger: {
            ...(await ledgerHead(ctx)),
            lastVerification: await lastVerification(ctx),
            lastGossip: gossip.lastGossip,
            alerts: gossip.alerts,
          },
          intel: may(role, 'intel.read') ? await intel() : null,
          compliance,
        };
      },
    );
  };
}
