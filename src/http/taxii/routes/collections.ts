/** Collections (section 5.1) and collection (section 5.2): only those the caller may read or write. */
import type { FastifyInstance } from 'fastify';
import type { Collection } from '../../../store/index.js';
import { collectionOf, principalOf, rootOf } from '../access.js';
import type { TaxiiContext } from '../context.js';
import { STIX_MEDIA_TYPE } from '../media-types.js';
import type { Access } from '../registry.js';
import {
  CollectionParams,
  CollectionSchema,
  CollectionsSchema,
  errorResponses,
  RootParams,
} from '../schemas.js';

export function collectionBody(c: Collection, a: Access) {
  return {
    id: c.id,
    title: c.title,
    ...(c.description ? { description: c.description } : {}),
    alias: c.alias,
    can_read: a.canRead,
    can_write: a.canWrite,
    media_types: c.mediaTypes.length ? c.mediaTypes : [STIX_MEDIA_TYPE],
  };
}

export function collectionRoutes(app: FastifyInstance, ctx: TaxiiContext): void {
  app.get<{ Params: { root: string } }>(
    '/:root/collections/',
    {
      schema: {
        summary: 'collections of an API root',
        tags: ['taxii'],
        params: RootParams,
        response: { 200: CollectionsSchema, ...errorResponses },
      },
    },
    async (req) => {
      const root = await rootOf(ctx, req.params.root);
      const p = principalOf(req);
      const out = [];
      for (const c of await ctx.registry.collectionsOf(root.name)) {
        const a = await ctx.registry.access(p, c.id);
        if (a.canRead || a.canWrite) out.push(collectionBody(c, a));
      }
      // Section 5.1.1: `collections` is omitted when there are none.
      return out.length ? { collections: out } : {};
    },
  );

  app.get<{ Params: { root: string; collectionId: string } }>(
    '/:root/collections/:collectionId/',
    {
      schema: {
        summary: 'one collection',
        tags: ['taxii'],
        params: CollectionParams,
        response: { 200: CollectionSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { coll, access } = await collectionOf(ctx, req, req.params.root, req.params.collectionId, 'any');
      return collectionBody(coll, access);
    },
  );
}
