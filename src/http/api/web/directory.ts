/** Points of contact: every party's, grouped, with stale flags; add, confirm and publish this node's. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { invalid } from '../../../core/index.js';
import { POC_KINDS, POC_ROLES, type PointOfContact } from '../../../directory/index.js';
import { API, type WebContext } from './deps.js';
import { type Query, text } from './query.js';

const NewPoc = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 64 })),
    role: Type.Union(POC_ROLES.map((r) => Type.Literal(r))),
    kind: Type.Union(POC_KINDS.map((k) => Type.Literal(k))),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    channels: Type.Array(Type.String({ maxLength: 320 }), { minItems: 1, maxItems: 20 }),
    languages: Type.Array(Type.String({ maxLength: 35 }), { minItems: 1, maxItems: 20 }),
    timezone: Type.String({ minLength: 1, maxLength: 64 }),
    hours: Type.String({ minLength: 1, maxLength: 100 }),
    confirmed_on: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);

export function directoryRoutes(ctx: WebContext) {
  const { auth, directory, self } = ctx;
  const tags = ['web'];
  return (app: FastifyInstance): void => {
    app.get(
      `${API}/directory`,
      {
        onRequest: auth.allow('overview'),
        schema: { summary: 'points of contact per party, with flags', tags },
      },
      async (req) => {
        const owner = text(req.query as Query, 'owner');
        const [pocs, flags, peers] = await Promise.all([
          directory.list(owner ? { owner } : {}),
          directory.check(),
          ctx.peers.list(),
        ]);
        const partyOf = new Map(peers.map((p) => [p.node, p.party]));
        partyOf.set(self.id, self.party);
        const parties = new Map<string, { node: string; party: string; self: boolean; pocs: typeof pocs }>();
        // This node first, then every partner, even one that has published nothing yet.
        for (const node of [self.id, ...peers.map((p) => p.node)])
          if (!owner || owner === node)
            parties.set(node, { node, party: partyOf.get(node) ?? node, self: node === self.id, pocs: [] });
        for (const p of pocs) {
          let g = parties.get(p.owner);
          if (!g) {
            g = { node: p.owner, party: partyOf.get(p.owner) ?? p.owner, self: false, pocs: [] };
            parties.set(p.owner, g);
          }
          g.pocs.push(p);
        }
        return {
          parties: [...parties.values()],
          flags: owner ? flags.filter((f) => f.node === owner) : flags,
        };
      },
    );

    app.post<{ Body: Omit<PointOfContact, 'id' | 'confirmed_on'> & { id?: string; confirmed_on?: string } }>(
      `${API}/directory`,
      {
        onRequest: auth.allow('directory.write'),
        schema: { summary: "add one of this node's points of contact", tags, body: NewPoc },
      },
      async (req, reply) => reply.status(201).send(await directory.add(req.body)),
    );

    app.post<{ Params: { poc: string }; Body: { on?: string } | undefined }>(
      `${API}/directory/:poc/confirm`,
      {
        onRequest: auth.allow('directory.write'),
        // No body schema: an empty POST (no body at all) confirms as of today.
        schema: { summary: 'confirm a point of contact is current (body { on?: YYYY-MM-DD })', tags },
      },
      async (req) => {
        const on = (req.body as { on?: unknown } | undefined)?.on;
        if (on !== undefined && typeof on !== 'string')
          throw invalid('directory.invalid_poc', 'on must be a date YYYY-MM-DD', { field: 'on' });
        await directory.confirm(req.params.poc, on);
        return { ok: true };
      },
    );

    app.post(
      `${API}/directory/publish`,
      {
        onRequest: auth.allow('directory.write'),
        schema: { summary: "send this node's points of contact to its partners", tags },
      },
      async () => ({ sent: await directory.publish() }),
    );
  };
}
