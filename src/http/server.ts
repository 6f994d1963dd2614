/**
 * The node's HTTP surface. Parts mount themselves as Fastify plugins (TAXII under /taxii2/, the peer
 * protocol under /peer/, the API under /api/); this file only builds the instance, the health
 * endpoint and the error mapping shared by all of them.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { isParleyError } from '../core/index.js';

export interface HttpDeps {
  /** What /healthz reports about the node. */
  health(): Promise<Record<string, unknown>>;
  logLevel?: string;
  /** Largest request body accepted, bytes. */
  bodyLimit?: number;
}

export type HttpPlugin = (app: FastifyInstance) => Promise<void> | void;

export async function buildHttpServer(deps: HttpDeps, plugins: HttpPlugin[] = []): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logLevel && deps.logLevel !== 'silent' ? { level: deps.logLevel } : false,
    bodyLimit: deps.bodyLimit ?? 100 * 1024 * 1024,
    // Media types such as application/taxii+json are matched by parsers the TAXII plugin adds.
    return503OnClosing: true,
  });

  app.setErrorHandler((err, _req, reply) => {
    if (isParleyError(err)) {
      return reply.status(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (status < 500) {
      return reply.status(status).send({ code: 'http.bad_request', message: (err as Error).message });
    }
    app.log.error(err);
    // A 500 shows no internals.
    return reply.status(500).send({ code: 'internal', message: 'internal error' });
  });

  app.get('/healthz', async () => ({ status: 'ok', ...(await deps.health()) }));

  for (const plugin of plugins) await plugin(app);
  return app;
}
