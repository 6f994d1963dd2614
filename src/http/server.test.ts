import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParleyError } from '../core/index.js';
import { buildHttpServer } from './server.js';

test('health answers over a real socket on 127.0.0.1', async () => {
  const app = await buildHttpServer({ health: async () => ({ node: 'n1' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const addr = app.server.address();
    assert.ok(addr && typeof addr === 'object');
    const res = await fetch(`http://127.0.0.1:${addr.port}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', node: 'n1' });
  } finally {
    await app.close();
  }
});

test('a ParleyError becomes its status and code; an unknown error hides its message', async () => {
  const app = await buildHttpServer({ health: async () => ({}) }, [
    (a) => {
      a.get('/bad', async () => {
        throw new ParleyError('thing.bad', 'thing is bad', 422, { field: 'x' });
      });
      a.get('/boom', async () => {
        throw new Error('secret internals');
      });
    },
  ]);
  const bad = await app.inject({ method: 'GET', url: '/bad' });
  assert.equal(bad.statusCode, 422);
  assert.deepEqual(bad.json(), { code: 'thing.bad', message: 'thing is bad', details: { field: 'x' } });
  const boom = await app.inject({ method: 'GET', url: '/boom' });
  assert.equal(boom.statusCode, 500);
  assert.doesNotMatch(boom.body, /secret/);
  await app.close();
});
