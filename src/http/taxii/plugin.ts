/**
 * TAXII 2.1 mounted under /taxii2/ (discovery at /taxii2/, API roots at /taxii2/{root}/). Everything
 * in this scope speaks `application/taxii+json;version=2.1` (section 1.6.8), including errors.
 */
import type { FastifyInstance } from 'fastify';
import { CHALLENGES } from '../auth/index.js';
import type { HttpPlugin } from '../server.js';
import type { TaxiiContext } from './context.js';
import { taxiiError, toTaxiiError } from './errors.js';
import { acceptsTaxii, isTaxiiContentType, TAXII_MEDIA_TYPE } from './media-types.js';
import { collectionRoutes } from './routes/collections.js';
import { discoveryRoutes } from './routes/discovery.js';
import { objectRoutes } from './routes/object.js';
import { objectsRoutes } from './routes/objects.js';

export const TAXII_PREFIX = '/taxii2';

export function taxiiPlugin(ctx: TaxiiContext): HttpPlugin {
  return async (app) => {
    ctx.log ??= (e) => app.log.error(e, 'TAXII background ingestion failed');
    app.addHook('onClose', async () => {
      await Promise.allSettled([...ctx.jobs]);
    });
    await app.register(async (scope) => mount(scope, ctx), { prefix: TAXII_PREFIX });
  };
}

function mount(app: FastifyInstance, ctx: TaxiiContext): void {
  app.decorateRequest('taxiiPrincipal', null);
  app.decorateRequest('taxiiBodyBytes', 0);

  // Only TAXII and STIX JSON bodies are read here; anything else is a 415 (section 1.6.8).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/taxii+json', 'application/stix+json'],
    { parseAs: 'buffer' },
    (req, body: Buffer, done) => {
      req.taxiiBodyBytes = body.length;
      try {
        done(null, JSON.parse(body.toString('utf8')));
      } catch (e) {
        done(
          taxiiError('taxii.bad_json', 400, `the request body is not JSON: ${(e as Error).message}`),
          undefined,
        );
      }
    },
  );

  app.addHook('onRequest', async (req, reply) => {
    const p = await ctx.auth.authenticate(req.headers.authorization);
    if (!p) {
      reply.header('WWW-Authenticate', CHALLENGES);
      throw taxiiError(
        'taxii.unauthorized',
        401,
        'authentication required: HTTP Basic or a Bearer API token',
      );
    }
    req.taxiiPrincipal = p;
    if (!acceptsTaxii(req.headers.accept)) {
      throw taxiiError(
        'taxii.not_acceptable',
        406,
        `this server answers ${TAXII_MEDIA_TYPE}, which the Accept header "${req.headers.accept}" excludes`,
        {
          accept: req.headers.accept,
        },
      );
    }
    if (req.method === 'POST') {
      if (!isTaxiiContentType(req.headers['content-type'])) {
        throw taxiiError(
          'taxii.unsupported_media_type',
          415,
          `Content-Type must be ${TAXII_MEDIA_TYPE}, got "${req.headers['content-type'] ?? ''}"`,
          {
            content_type: req.headers['content-type'],
          },
        );
      }
      // Refuse an oversized body before reading it (section 4.2.1 max_content_length, RFC 9110 15.5.14).
      const length = Number(req.headers['content-length'] ?? 0);
      const rootName = (req.params as { root?: string }).root;
      const root = rootName ? await ctx.registry.apiRoot(rootName) : undefined;
      if (root && length > root.maxContentLength) {
        throw taxiiError(
          'taxii.too_large',
          413,
          `the request body (${length} bytes) exceeds max_content_length (${root.maxContentLength} bytes)`,
          {
            max_content_length: root.maxContentLength,
          },
        );
      }
    }
  });

  // Fastify writes `...;version="2.1"; charset=utf-8`; clients compare tokens, so send the exact type.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-type', TAXII_MEDIA_TYPE);
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toTaxiiError(err);
    if (status >= 500) req.log.error(err);
    return reply.status(status).type(TAXII_MEDIA_TYPE).send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    const { status, body } = toTaxiiError(
      taxiiError('taxii.not_found', 404, `no TAXII resource at ${req.url}`),
    );
    return reply.status(status).type(TAXII_MEDIA_TYPE).send(body);
  });

  discoveryRoutes(app, ctx);
  collectionRoutes(app, ctx);
  objectsRoutes(app, ctx);
  objectRoutes(app, ctx);
}
