/**
 * Serves the browser app built into dist/web/ (`npm run build:web`) at `/`: files by path, and
 * index.html for any other GET that is not an API path, so client-side routes load the app. Hashed
 * assets (dist/web/assets/) are cached for a year; index.html is revalidated every time. Without a
 * build, `/` answers a short page saying how to make one.
 *
 * It is the root not-found handler: every route the node defines wins over it, and TAXII's scope
 * keeps its own.
 */
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpPlugin } from '../../server.js';

export interface StaticOptions {
  /** The built app, e.g. <repo>/dist/web. */
  root: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Paths that belong to the node's APIs: an unknown one there is a JSON 404, never the app. */
const API_PREFIXES = ['/api/', '/peer/', '/taxii2/', '/healthz', '/openapi.json'];

const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>parley</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>parley</h1>
<p>This node is running, but its web app has not been built.</p>
<p>Build it with <code>npm run build:web</code> (it goes to <code>dist/web/</code>), then reload.</p>
<p>The APIs work without it: <a href="/openapi.json">/openapi.json</a>, <a href="/healthz">/healthz</a>.</p>
</body></html>
`;

async function fileAt(root: string, urlPath: string): Promise<string | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (rel.includes('\0')) return undefined;
  const full = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`);
  // Never outside the root, whatever the path says.
  if (full !== root && !full.startsWith(root + path.sep)) return undefined;
  try {
    return (await stat(full)).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

function send(reply: FastifyReply, file: string, cache: string) {
  reply.header('content-type', TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
  reply.header('cache-control', cache);
  reply.header('x-content-type-options', 'nosniff');
  return reply.send(createReadStream(file));
}

export function staticPlugin(opts: StaticOptions): HttpPlugin {
  const root = path.resolve(opts.root);
  return (app) => {
    app.setNotFoundHandler(async (req: FastifyRequest, reply: FastifyReply) => {
      const urlPath = req.url.split('?')[0] ?? '/';
      const isApi = API_PREFIXES.some((p) => urlPath === p.replace(/\/$/, '') || urlPath.startsWith(p));
      if ((req.method !== 'GET' && req.method !== 'HEAD') || isApi)
        return reply
          .status(404)
          .send({ code: 'http.not_found', message: `no route ${req.method} ${urlPath}` });
      const index = path.join(root, 'index.html');
      if (!existsSync(index)) {
        if (urlPath !== '/' && path.extname(urlPath))
          return reply.status(404).send({ code: 'http.not_found', message: `no file ${urlPath}` });
        return reply
          .status(200)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(NOT_BUILT);
      }
      if (urlPath !== '/') {
        const file = await fileAt(root, urlPath);
        if (file && file !== index) {
          const hashed = file.startsWith(path.join(root, 'assets') + path.sep);
          return send(reply, file, hashed ? IMMUTABLE : 'no-cache');
        }
        // A relative asset asked from under a client route (/agreements/assets/x.js): the build's
        // assets live at the root only.
        const m = /\/assets\/([^/]+)$/.exec(urlPath);
        if (m) {
          const asset = await fileAt(root, `/assets/${m[1]}`);
          if (asset) return send(reply, asset, IMMUTABLE);
        }
        // A missing file (it has an extension) is a 404; anything else is a client route.
        if (path.extname(urlPath))
          return reply.status(404).send({ code: 'http.not_found', message: `no file ${urlPath}` });
      }
      return send(reply, index, 'no-cache');
    });
  };
}
