/** Status resources live at least 24 hours; cached pages at most the cache's TTL (1 s) unless written through. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../core/index.js';
import type { Collection } from '../../store/index.js';
import { TAXII_MEDIA_TYPE } from './media-types.js';
import { type Harness, indicator, startHarness } from './test-harness.js';

const clock = new ManualClock(Date.parse('2026-06-01T00:00:00Z'));
let h: Harness;
let coll: Collection;

before(async () => {
  h = await startHarness({ clock });
  await h.ctx.registry.addApiRoot({ name: 'r', title: 'R' });
  coll = await h.ctx.registry.addCollection('r', { alias: 'c', title: 'C' });
});
after(() => h.close());

const headers = () => ({
  accept: TAXII_MEDIA_TYPE,
  'content-type': TAXII_MEDIA_TYPE,
  authorization: `Bearer ${h.tokens.admin}`,
});
const objects = async () =>
  ((await h.app.inject({ url: `/taxii2/r/collections/${coll.id}/objects/`, headers: headers() })).json()
    .objects ?? []) as unknown[];

test('a status is readable for 24 hours, then gone', async () => {
  const r = await h.app.inject({
    method: 'POST',
    url: `/taxii2/r/collections/${coll.id}/objects/`,
    headers: headers(),
    payload: JSON.stringify({ objects: [indicator(1)] }),
  });
  const id = r.json().id as string;
  const status = () => h.app.inject({ url: `/taxii2/r/status/${id}/`, headers: headers() });
  clock.advance(24 * 3600_000 - 1000);
  assert.equal((await status()).statusCode, 200);
  clock.advance(2000);
  assert.equal((await status()).statusCode, 404);
  // Refresh the registry snapshot, which also keys on the clock.
  h.ctx.registry.invalidate();
});

test('pages are cached at most 1 s against writes by other processes; writes through TAXII show at once', async () => {
  const before = (await objects()).length;
  // Another process (here: the store directly) adds an object: the cached page may lag up to 1 s.
  const o = indicator(2);
  await h.store.ingest(coll.id, [
    {
      head: {
        id: o.id as string,
        type: 'indicator',
        spec_version: '2.1',
        created: o.created as string,
        modified: o.modified as string,
      },
      json: JSON.stringify(o),
    },
  ]);
  assert.equal((await objects()).length, before);
  clock.advance(1001);
  assert.equal((await objects()).length, before + 1);
  await h.app.inject({
    method: 'POST',
    url: `/taxii2/r/collections/${coll.id}/objects/`,
    headers: headers(),
    payload: JSON.stringify({ objects: [indicator(3)] }),
  });
  assert.equal((await objects()).length, before + 2);
});

test('the page cache stays within its bounds', async () => {
  const { PageCache } = await import('./page-cache.js');
  const c = new PageCache(clock, 1000);
  const body = 'x'.repeat(1024 * 1024);
  for (let i = 0; i < 100; i++) c.put('c', `k${i}`, { body });
  assert.ok(c.size.chars <= 32 * 1024 * 1024, String(c.size.chars));
  assert.equal(c.get('c', 'k0'), undefined);
  assert.equal(c.get('c', 'k99')?.body.length, body.length);
  c.invalidate('c');
  assert.equal(c.get('c', 'k99'), undefined);
  assert.equal(c.size.chars, 31 * 1024 * 1024);
});

test('a status left pending by a stopped process turns its pendings into failures after an hour', async () => {
  const abandoned = await h.ctx.statuses.create(
    'r',
    'token:x',
    [],
    [{ id: 'indicator--00000000-0000-4000-8000-000000000009', version: 'v' }],
  );
  clock.advance(30 * 60_000);
  assert.equal(await h.ctx.statuses.failAbandoned(), 0);
  clock.advance(31 * 60_000);
  assert.equal(await h.ctx.statuses.failAbandoned(), 1);
  const s = await h.ctx.statuses.get('r', abandoned.id);
  assert.equal(s?.status, 'complete');
  assert.equal(s?.pending_count, 0);
  assert.equal(s?.failure_count, 1);
  assert.match(s?.failures[0]?.message ?? '', /stopped/);
});
