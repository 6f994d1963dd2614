/**
 * The node's OpenAPI 3.1 document at /openapi.json, built from the schemas that sit on the Fastify
 * routes (the same ones that validate requests and serialise responses), so it cannot drift from
 * what the server does. Mount this plugin before the others: it records routes as they register.
 */
import type { RouteOptions } from 'fastify';
import type { HttpPlugin } from '../server.js';

interface Recorded {
  method: string;
  url: string;
  schema: Record<string, unknown>;
}

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export function openApiPlugin(info: { title?: string; version?: string } = {}): HttpPlugin {
  return (app) => {
    const routes: Recorded[] = [];
    app.addHook('onRoute', (r: RouteOptions) => {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      for (const m of methods) {
        if (m === 'HEAD' || r.url === '/openapi.json' || r.url.includes('*')) continue;
        // A prefix's '/' route reaches onRoute as '/prefix'; TAXII URLs keep the slash.
        const root = (r as { routePath?: string }).routePath === '' && !r.url.endsWith('/');
        routes.push({
          method: m.toLowerCase(),
          url: root ? `${r.url}/` : r.url,
          schema: (r.schema ?? {}) as Record<string, unknown>,
        });
      }
    });
    let doc: unknown;
    app.get('/openapi.json', { schema: { hide: true } }, async () => {
      doc ??= buildDocument(routes, info);
      return doc;
    });
  };
}

function buildDocument(routes: Recorded[], info: { title?: string; version?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  const seen = new Map<string, string>();
  for (const r of routes) {
    const path = toOpenApiPath(r.url);
    // Fastify registers a prefixed '/' both with and without its slash; keep the spelling TAXII uses.
    const key = `${r.method} ${path.replace(/\/$/, '')}`;
    const twin = seen.get(key);
    if (twin !== undefined) {
      if (!path.endsWith('/') || twin.endsWith('/')) continue;
      delete (paths[twin] as Record<string, unknown>)[r.method];
      if (Object.keys(paths[twin] as object).length === 0) delete paths[twin];
    }
    seen.set(key, path);
    const s = r.schema;
    const parameters: unknown[] = [];
    for (const [where, field] of [
      ['path', 'params'],
      ['query', 'querystring'],
    ] as const) {
      const obj = s[field] as { properties?: Record<string, unknown>; required?: string[] } | undefined;
      for (const [name, schema] of Object.entries(obj?.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || !!obj?.required?.includes(name),
          schema,
        });
      }
    }
    const responses: Record<string, unknown> = {};
    const taxii = r.url.startsWith('/taxii2');
    const media = taxii ? 'application/taxii+json;version=2.1' : 'application/json';
    for (const [code, schema] of Object.entries((s.response ?? {}) as Record<string, unknown>)) {
      responses[code] = {
        description: (schema as { description?: string }).description ?? `HTTP ${code}`,
        content: { [media]: { schema } },
      };
    }
    if (Object.keys(responses).length === 0) responses['200'] = { description: 'OK' };
    const op: Record<string, unknown> = {
      ...(s.summary ? { summary: s.summary } : {}),
      ...(s.tags ? { tags: s.tags } : {}),
      ...(parameters.length ? { parameters } : {}),
      responses,
    };
    if (s.body) op.requestBody = { required: true, content: { [media]: { schema: s.body } } };
    if (taxii) op.security = [{ basic: [] }, { bearer: [] }];
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: info.title ?? 'parley node', version: info.version ?? '0.1.0' },
    paths,
    components: {
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic' },
        bearer: { type: 'http', scheme: 'bearer', description: 'an API token from `parley token create`' },
      },
    },
  };
}
