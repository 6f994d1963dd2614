/**
 * Finding the API root and collection a request names, and checking the caller may use them.
 * A collection the caller may neither read nor write does not exist for them: 404, not 403
 * (TAXII 2.1 section 5.2: "a collection ... the client has no access to ... 404").
 */
import type { FastifyRequest } from 'fastify';
import type { Collection } from '../../store/index.js';
import type { Principal } from '../auth/index.js';
import type { TaxiiContext } from './context.js';
import { taxiiError } from './errors.js';
import type { Access, ApiRoot } from './registry.js';

export function principalOf(req: FastifyRequest): Principal {
  const p = req.taxiiPrincipal;
  // The onRequest hook refuses unauthenticated requests before any handler runs.
  if (!p) throw taxiiError('taxii.unauthorized', 401, 'authentication required');
  return p;
}

export async function rootOf(ctx: TaxiiContext, name: string): Promise<ApiRoot> {
  const root = await ctx.registry.apiRoot(name);
  if (!root) throw taxiiError('taxii.no_such_root', 404, `no API root "${name}"`, { api_root: name });
  return root;
}

export async function collectionOf(
  ctx: TaxiiContext,
  req: FastifyRequest,
  rootName: string,
  collectionId: string,
  need: 'read' | 'write' | 'read+write' | 'any',
): Promise<{ root: ApiRoot; coll: Collection; access: Access }> {
  const root = await rootOf(ctx, rootName);
  const coll = await ctx.registry.collection(root.name, collectionId);
  const access = coll ? await ctx.registry.access(principalOf(req), coll.id) : undefined;
  if (!coll || !access || (!access.canRead && !access.canWrite)) {
    throw taxiiError(
      'taxii.no_such_collection',
      404,
      `no collection "${collectionId}" in API root "${root.name}"`,
      {
        collection: collectionId,
      },
    );
  }
  if ((need === 'read' || need === 'read+write') && !access.canRead) {
    throw taxiiError('taxii.forbidden', 403, `collection "${coll.id}" may not be read by this caller`, {
      collection: coll.id,
    });
  }
  if ((need === 'write' || need === 'read+write') && !access.canWrite) {
    throw taxiiError('taxii.forbidden', 403, `collection "${coll.id}" may not be written by this caller`, {
      collection: coll.id,
    });
  }
  return { root, coll, access };
}
