/** Discovery (section 4.1), API root (section 4.2) and status (section 4.3). */
import type { FastifyInstance } from 'fastify';
import { ADMIN_ROLE } from '../../auth/index.js';
import { principalOf, rootOf } from '../access.js';
import type { TaxiiContext } from '../context.js';
import { taxiiError } from '../errors.js';
import { ANY_OWNER } from '../load-state.js';
import { TAXII_MEDIA_TYPE } from '../media-types.js';
import {
  ApiRootSchema,
  DiscoverySchema,
  errorResponses,
  RootParams,
  StatusParams,
  StatusSchema,
} from '../schemas.js';
import { statusBody } from '../status-store.js';

export function discoveryRoutes(app: FastifyInstance, ctx: TaxiiContext): void {
  app.get(
    '/',
    {
      schema: {
        summary: 'TAXII discovery',
        tags: ['taxii'],
        response: { 200: DiscoverySchema, ...errorResponses },
      },
    },
    async (req) => {
      // API roots are absolute URLs (section 4.1.1): the reference client requests them as given.
      const base = `${req.protocol}://${req.host}/taxii2/`;
      const roots = await ctx.registry.apiRoots();
      const def = roots.find((r) => r.isDefault);
      return {
        title: ctx.deps.title ?? 'parley TAXII 2.1 server',
        description:
          ctx.deps.description ??
          'STIX 2.1 threat intelligence shared under cyber confidence-building agreements',
        ...(ctx.deps.contact ? { contact: ctx.deps.contact } : {}),
        ...(def ? { default: `${base}${def.name}/` } : {}),
        api_roots: roots.map((r) => `${base}${r.name}/`),
      };
    },
  );

  app.get<{ Params: { root: string } }>(
    '/:root/',
    {
      schema: {
        summary: 'API root information',
        tags: ['taxii'],
        params: RootParams,
        response: { 200: ApiRootSchema, ...errorResponses },
      },
    },
    async (req) => {
      const root = await rootOf(ctx, req.params.root);
      return {
        title: root.title,
        ...(root.description ? { description: root.description } : {}),
        versions: [TAXII_MEDIA_TYPE],
        max_content_length: root.maxContentLength,
      };
    },
  );

  // The reference client builds the status URL as urljoin(collection, "../../status/ID"), without
  // the trailing slash every other TAXII URL has, so the status answers at both spellings.
  for (const url of ['/:root/status/:statusId/', '/:root/status/:statusId']) {
    app.get<{ Params: { root: string; statusId: string } }>(
      url,
      {
        schema: {
          summary: 'status of an add-objects request',
          tags: ['taxii'],
          params: StatusParams,
          response: { 200: StatusSchema, ...errorResponses },
        },
      },
      async (req) => {
        const root = await rootOf(ctx, req.params.root);
        const p = principalOf(req);
        const s = await ctx.statuses.get(root.name, req.params.statusId);
        // Another caller's status is as absent as an unknown one.
        if (!s || (s.owner !== p.id && s.owner !== ANY_OWNER && p.role !== ADMIN_ROLE)) {
          throw taxiiError(
            'taxii.no_such_status',
            404,
            `no status "${req.params.statusId}" in API root "${root.name}"`,
            {
              status_id: req.params.statusId,
            },
          );
        }
        return statusBody(s);
      },
    );
  }
}
