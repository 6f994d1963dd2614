/** Compliance: the signed report of an agreement for a period, as JSON or rendered for download. */
import type { FastifyInstance } from 'fastify';
import { parsePeriod, render } from '../../../compliance/index.js';
import { notFound } from '../../../core/index.js';
import { quarterOf } from './dashboard.js';
import { API, type WebContext } from './deps.js';
import { int, type Query, text } from './query.js';

export function complianceRoutes(ctx: WebContext) {
  const tags = ['web'];
  const report = async (agreement: string, q: Query) => {
    if (!ctx.compliance) throw notFound('compliance.unavailable', 'this node has no compliance reports');
    const period = parsePeriod(text(q, 'period') ?? quarterOf(ctx.clock.now()));
    return ctx.compliance.report({ agreement, period, trend: int(q, 'trend', 4, 0, 12) });
  };
  return (app: FastifyInstance): void => {
    app.get<{ Params: { agreement: string } }>(
      `${API}/compliance/:agreement`,
      {
        onRequest: ctx.auth.allow('compliance.read'),
        schema: { summary: 'the signed compliance report of an agreement for a period', tags },
      },
      async (req) => report(req.params.agreement, req.query as Query),
    );

    app.get<{ Params: { agreement: string } }>(
      `${API}/compliance/:agreement/report.html`,
      {
        onRequest: ctx.auth.allow('compliance.read'),
        schema: { summary: 'the compliance report rendered as HTML (download)', tags },
      },
      async (req, reply) => {
        const r = await report(req.params.agreement, req.query as Query);
        reply.header('content-type', 'text/html; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="compliance-${r.period.id}.html"`);
        return render(r, 'html');
      },
    );

    app.get(
      `${API}/consultations`,
      {
        onRequest: ctx.auth.allow('compliance.read'),
        schema: { summary: 'consultations of the node', tags },
      },
      async (req) => {
        if (!ctx.consultations) return { items: [] };
        const agreement = text(req.query as Query, 'agreement');
        return { items: await ctx.consultations.list(agreement ? { agreement } : {}) };
      },
    );

    app.get<{ Params: { id: string } }>(
      `${API}/consultations/:id`,
      { onRequest: ctx.auth.allow('compliance.read'), schema: { summary: 'one consultation', tags } },
      async (req) => {
        if (!ctx.consultations) throw notFound('consult.unknown', `no consultation ${req.params.id}`);
        return ctx.consultations.show(req.params.id);
      },
    );
  };
}
