/** Objects GET and POST (sections 5.3 manifest, 5.4 get objects, 5.5 add objects). */
import type { FastifyInstance } from 'fastify';
import { collectionOf, principalOf } from '../access.js';
import type { TaxiiContext } from '../context.js';
import { taxiiError } from '../errors.js';
import { parseFilters, type Query } from '../filters.js';
import { INGEST_CHUNK, prepare, storeChunk } from '../ingest.js';
import { TAXII_MEDIA_TYPE } from '../media-types.js';
import {
  CollectionParams,
  EnvelopeSchema,
  errorResponses,
  FilterQuerySchema,
  ManifestSchema,
  StatusSchema,
} from '../schemas.js';
import { type StoredStatus, statusBody } from '../status-store.js';
import { cachedPage, sendPage } from './paging.js';

const LIST_FILTERS = new Set([
  'added_after',
  'limit',
  'next',
  'match[id]',
  'match[type]',
  'match[version]',
  'match[spec_version]',
]);

type Req = { Params: { root: string; collectionId: string }; Querystring: Query };

export function objectsRoutes(app: FastifyInstance, ctx: TaxiiContext): void {
  const filterOpts = () => ({
    allow: LIST_FILTERS,
    maxPageSize: ctx.deps.maxPageSize,
    defaultVersion: { kind: 'last' } as const,
  });

  app.get<Req>(
    '/:root/collections/:collectionId/objects/',
    {
      schema: {
        summary: 'objects of a collection, a page at a time',
        tags: ['taxii'],
        params: CollectionParams,
        querystring: FilterQuerySchema,
        response: { 200: EnvelopeSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { coll } = await collectionOf(ctx, req, req.params.root, req.params.collectionId, 'read');
      const f = parseFilters(req.query, filterOpts());
      const page = await cachedPage(ctx, `objects:${coll.id}`, coll.id, f, (rows) => rows.map((r) => r.json));
      return sendPage(reply, page);
    },
  );

  app.get<Req>(
    '/:root/collections/:collectionId/manifest/',
    {
      schema: {
        summary: 'manifest of a collection',
        tags: ['taxii'],
        params: CollectionParams,
        querystring: FilterQuerySchema,
        response: { 200: ManifestSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { coll } = await collectionOf(ctx, req, req.params.root, req.params.collectionId, 'read');
      const f = parseFilters(req.query, filterOpts());
      const page = await cachedPage(ctx, `manifest:${coll.id}`, coll.id, f, (rows) =>
        rows.map((r) =>
          JSON.stringify({
            id: r.id,
            date_added: r.dateAdded,
            // SCOs have no modified: their version is their date_added (section 3.4.2).
            version: r.version || r.dateAdded,
            media_type: `application/stix+json;version=${r.specVersion || '2.1'}`,
          }),
        ),
      );
      return sendPage(reply, page);
    },
  );

  app.post<Req & { Body: unknown }>(
    '/:root/collections/:collectionId/objects/',
    {
      schema: {
        summary: 'add objects; answers 202 with a status resource',
        tags: ['taxii'],
        params: CollectionParams,
        body: EnvelopeSchema,
        response: { 202: StatusSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { root, coll } = await collectionOf(ctx, req, req.params.root, req.params.collectionId, 'write');
      if (req.taxiiBodyBytes > root.maxContentLength) {
        throw taxiiError(
          'taxii.too_large',
          413,
          `the request body exceeds max_content_length (${root.maxContentLength} bytes)`,
          {
            max_content_length: root.maxContentLength,
          },
        );
      }
      const body = req.body as { objects?: unknown };
      const objects = Array.isArray(body.objects) ? body.objects : [];
      const prepared = prepare(objects, ctx.deps.validate);
      const status = await ctx.statuses.create(
        root.name,
        principalOf(req).id,
        prepared.failures,
        prepared.ready.map((r) => r.detail),
      );
      const job = ingestAll(ctx, coll.id, prepared.ready, status);
      if (prepared.ready.length <= (ctx.deps.syncIngestLimit ?? 1000)) {
        await job;
      } else {
        // Large envelopes are answered at once with a pending status the client polls (section 4.3).
        const tracked = job
          .catch((e) => req.log.error(e, 'TAXII ingestion failed'))
          .finally(() => ctx.jobs.delete(tracked));
        ctx.jobs.add(tracked);
      }
      return reply.status(202).type(TAXII_MEDIA_TYPE).send(statusBody(status));
    },
  );
}

async function ingestAll(
  ctx: TaxiiContext,
  collectionId: string,
  ready: ReturnType<typeof prepare>['ready'],
  status: StoredStatus,
): Promise<void> {
  for (let i = 0; i < ready.length; i += INGEST_CHUNK) {
    const chunk = ready.slice(i, i + INGEST_CHUNK);
    let result: Awaited<ReturnType<typeof storeChunk>>;
    try {
      result = await storeChunk(ctx.deps.store, collectionId, chunk);
    } catch (e) {
      // A store failure fails this chunk's objects, reported in the status, and the rest go on.
      ctx.log?.(e);
      const message = 'the store could not write this object; post it again';
      result = { successes: [], failures: chunk.map((c) => ({ ...c.detail, message })) };
    }
    status.successes.push(...result.successes);
    status.failures.push(...result.failures);
    status.pendings = ready.slice(i + INGEST_CHUNK).map((r) => r.detail);
    ctx.pages.invalidate(collectionId);
    if (result.successes.length > 0) ctx.deps.onStored?.(collectionId);
    await ctx.statuses.save(status);
  }
}
