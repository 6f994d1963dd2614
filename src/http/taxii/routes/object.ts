/** One object: GET and DELETE (sections 5.6, 5.7) and its versions (section 5.8). */
import type { FastifyInstance } from 'fastify';
import type { StoredObject, VersionFilter } from '../../../store/index.js';
import { collectionOf } from '../access.js';
import type { TaxiiContext } from '../context.js';
import { taxiiError } from '../errors.js';
import { parseFilters, type Query } from '../filters.js';
import { TAXII_MEDIA_TYPE } from '../media-types.js';
import {
  EnvelopeSchema,
  errorResponses,
  FilterQuerySchema,
  ObjectParams,
  VersionsSchema,
} from '../schemas.js';
import { dateHeaders, pageFromList, pageJson, queryPage } from './paging.js';

type Req = { Params: { root: string; collectionId: string; objectId: string }; Querystring: Query };

const OBJECT_FILTERS = new Set(['added_after', 'limit', 'next', 'match[version]', 'match[spec_version]']);
const VERSIONS_FILTERS = new Set(['added_after', 'limit', 'next', 'match[spec_version]']);
const DELETE_FILTERS = new Set(['match[version]', 'match[spec_version]']);

const noObject = (id: string) =>
  taxiiError('taxii.no_such_object', 404, `no object "${id}" in this collection`, { object_id: id });

/** Which of an object's versions (oldest first) a match[version] filter selects. */
function selectVersions(all: StoredObject[], v: VersionFilter): StoredObject[] {
  if (v.kind === 'all') return all;
  if (v.kind === 'first') return all.slice(0, 1);
  if (v.kind === 'last') return all.slice(-1);
  const want = new Set(v.versions.map((s) => Date.parse(s)));
  return all.filter(
    (o, i) =>
      (v.first && i === 0) ||
      (v.last && i === all.length - 1) ||
      want.has(Date.parse(o.version || o.dateAdded)),
  );
}

export function objectRoutes(app: FastifyInstance, ctx: TaxiiContext): void {
  const schema = (summary: string, response: object) => ({
    summary,
    tags: ['taxii'],
    params: ObjectParams,
    querystring: FilterQuerySchema,
    response: { ...response, ...errorResponses },
  });

  app.get<Req>(
    '/:root/collections/:collectionId/objects/:objectId/',
    {
      schema: schema('one object (its latest version unless match[version] says otherwise)', {
        200: EnvelopeSchema,
      }),
    },
    async (req, reply) => {
      const { coll } = await collectionOf(ctx, req, req.params.root, req.params.collectionId, 'read');
      const id = req.params.objectId;
      const f = parseFilters(req.query, {
        allow: OBJECT_FILTERS,
        maxPageSize: ctx.deps.maxPageSize,
        defaultVersion: { kind: 'last' },
      });
      f.ids = [id];
      const page = await queryPage(ctx.deps.store, `object:${coll.id}:${id}`, coll.id, f);
      if (page.rows.length === 0 && (await ctx.deps.store.versions(coll.id, id)).length === 0)
        throw noObject(id);
      dateHeaders(reply, page.rows);
      return reply.type(TAXII_MEDIA_TYPE).send(
        pageJson(
          page,
          'objects',
          page.rows.map((r) => r.json),
        ),
      );
    },
  );

  app.delete<Req>(
    '/:root/collections/:collectionId/objects/:objectId/',
    {
      schema: schema('delete an object (all versions unless match[version] narrows it)', {
        200: { type: 'null' },
      }),
    },
    async (req, reply) => {
      const { coll } = await collectionOf(ctx, req, req.params.root, req.params.collectionId, 'read+write');
      const id = req.params.objectId;
      const f = parseFilters(req.query, { allow: DELETE_FILTERS, maxPageSize: 1 });
      const all = await ctx.deps.store.versions(coll.id, id);
      if (all.length === 0) throw noObject(id);
      let chosen = selectVersions(all, f.versions ?? { kind: 'all' });
      if (f.specVersions) chosen = chosen.filter((o) => f.specVersions?.includes(o.specVersion));
      if (chosen.length === all.length) await ctx.deps.store.deleteObject(coll.id, id);
      else if (chosen.length) {
        await ctx.deps.store.deleteObject(coll.id, id, {
          kind: 'at',
          versions: chosen.map((o) => o.version),
        });
      }
      ctx.pages.invalidate(coll.id);
      return reply.status(200).type(TAXII_MEDIA_TYPE).send('');
    },
  );

  app.get<Req>(
    '/:root/collections/:collectionId/objects/:objectId/versions/',
    { schema: schema('the versions of an object', { 200: VersionsSchema }) },
    async (req, reply) => {
      const { coll } = await collectionOf(ctx, req, req.params.root, req.params.collectionId, 'read');
      const id = req.params.objectId;
      const f = parseFilters(req.query, { allow: VERSIONS_FILTERS, maxPageSize: ctx.deps.maxPageSize });
      const all = await ctx.deps.store.versions(coll.id, id);
      if (all.length === 0) throw noObject(id);
      const rows = all
        .filter((o) => !f.specVersions || f.specVersions.includes(o.specVersion))
        .sort((a, b) => (a.dateAddedUs < b.dateAddedUs ? -1 : a.dateAddedUs > b.dateAddedUs ? 1 : 0));
      const page = pageFromList(rows, `versions:${coll.id}:${id}`, f);
      dateHeaders(reply, page.rows);
      return reply.type(TAXII_MEDIA_TYPE).send(
        pageJson(
          page,
          'versions',
          page.rows.map((r) => JSON.stringify(r.version || r.dateAdded)),
        ),
      );
    },
  );
}
