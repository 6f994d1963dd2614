/** Agreements: list, show, propose (signed by this node, sent to the others), sign. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { invalid } from '../../../core/index.js';
import { type AgreementTerms, type AgreementView, partyFrom } from '../../../pact/index.js';
import { API, type WebContext } from './deps.js';

/** The view with what the agreements screen shows as tables: parties (and who signed), deadlines. */
export function agreementJson(v: AgreementView) {
  const doc = v.latest.doc;
  return {
    ...v,
    parties: doc.parties.map((p) => ({
      node: p.node,
      party: p.party,
      signed: v.latest.signedBy.includes(p.node),
    })),
    deadlines: doc.deadlines,
  };
}

const Propose = Type.Object(
  {
    with: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { minItems: 1, maxItems: 64 }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    terms: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

export function agreementRoutes(ctx: WebContext) {
  const { auth, pacts, peers } = ctx;
  const tags = ['web'];
  return (app: FastifyInstance): void => {
    app.get(
      `${API}/agreements`,
      { onRequest: auth.allow('overview'), schema: { summary: 'agreements', tags } },
      async () => ({ items: (await pacts.list()).map(agreementJson) }),
    );

    app.get<{ Params: { id: string } }>(
      `${API}/agreements/:id`,
      { onRequest: auth.allow('overview'), schema: { summary: 'one agreement', tags } },
      async (req) => agreementJson(await pacts.show(req.params.id)),
    );

    app.post<{ Body: { with: string[]; title?: string; terms?: AgreementTerms } }>(
      `${API}/agreements`,
      {
        onRequest: auth.allow('agreements.write'),
        schema: { summary: 'propose an agreement to peers, signed by this node', tags, body: Propose },
      },
      async (req, reply) => {
        const parties = [];
        for (const ref of req.body.with) {
          const p = await peers.find(ref);
          if (p?.status !== 'confirmed')
            throw invalid('peer.unknown', `with: ${ref} is not a confirmed peer of this node`, {
              field: 'with',
            });
          parties.push(
            partyFrom({
              node: p.node,
              party: p.party,
              signingKey: p.signingKey,
              agreementKey: p.agreementKey,
            }),
          );
        }
        const terms: AgreementTerms = { ...(req.body.terms ?? {}) };
        if (req.body.title) terms.title = req.body.title;
        const r = await pacts.propose({ with: parties, terms });
        return reply.status(201).send(agreementJson(await pacts.show(r.id)));
      },
    );

    app.post<{ Params: { id: string } }>(
      `${API}/agreements/:id/sign`,
      { onRequest: auth.allow('agreements.write'), schema: { summary: 'sign the newest version', tags } },
      async (req) => {
        const r = await pacts.sign(req.params.id);
        // Once in force the partners need this party's contacts (as `parley agreement sign` does).
        if (r.view.state === 'in_force' && r.view.effective) await ctx.directory.publish();
        return agreementJson(r.view);
      },
    );
  };
}
