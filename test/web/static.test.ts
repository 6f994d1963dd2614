/**
 * The browser app served from a build directory by the node's HTTP server on 127.0.0.1: files with
 * their content types, a year's cache for hashed assets and none for index.html, index.html for
 * client routes, 404 for missing files and API paths, nothing outside the root; without a build,
 * a page saying how to make one.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { staticPlugin } from '../../src/http/api/web/index.js';
import { buildHttpServer } from '../../src/http/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-web-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function serve(root: string) {
  const app = await buildHttpServer({ health: async () => ({}) }, [staticPlugin({ root })]);
  app.get('/api/v1/real', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return { url, close: () => app.close() };
}

test('serves the built app: types, caching, client routes, 404s, no escape from the root', async () => {
  const root = path.join(dir, 'web');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(root, 'assets', 'index-3f2a1b.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'index-9c8d7e.css'), 'body{}');
  writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside');
  const s = await serve(root);
  try {
    const get = (p: string) => fetch(`${s.url}${p}`);
    const index = await get('/');
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(await index.text(), /<title>app/);

    const js = await get('/assets/index-3f2a1b.js');
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await js.text(), 'console.log(1)');
    assert.equal(
      (await get('/assets/index-9c8d7e.css')).headers.get('content-type'),
      'text/css; charset=utf-8',
    );
    const svg = await get('/favicon.svg');
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.equal(svg.headers.get('cache-control'), 'no-cache');
    // A relative asset asked from under a client route.
    assert.equal(await (await get('/agreements/assets/index-3f2a1b.js')).text(), 'console.log(1)');

    for (const route of ['/agreements', '/agreements/agr-123', '/hotline/threads/t-1?lang=ru']) {
      const r = await get(route);
      assert.equal(r.status, 200, route);
      assert.match(await r.text(), /<title>app/, route);
    }
    assert.equal((await get('/missing.js')).status, 404);
    const api = await get('/api/v1/nothing');
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { code: string }).code, 'http.not_found');
    assert.deepEqual(await (await get('/api/v1/real')).json(), { ok: true });
    assert.equal((await fetch(`${s.url}/agreements`, { method: 'POST' })).status, 404);
    for (const p of ['/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await get(p);
      assert.ok(!(await r.text()).includes('outside'), p);
    }
  } finally {
    await s.close();
  }
});

test('without a build, / says how to make one', async () => {
  const s = await serve(path.join(dir, 'not-built'));
  try {
    const r = await fetch(`${s.url}/`);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /npm run build:web/);
    assert.equal((await fetch(`${s.url}/assets/x.js`)).status, 404);
  } finally {
    await s.close();
  }
});
