/**
 * Our TAXII client against our TAXII server over a real socket on 127.0.0.1: discovery, pull with
 * resume across a restart (no object missed, none downloaded twice, even when one POST added them
 * all), push waiting for the status, and errors.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ParleyError } from '../../core/index.js';
import type { Collection } from '../../store/index.js';
import { createStixStore, type Database } from '../../store/index.js';
import { stixValidator } from '../taxii/stix-validator.js';
import { type Harness, indicator, openTestDatabase, startHarness } from '../taxii/test-harness.js';
import { TaxiiClient } from './client.js';
import { pullCollection, pullPosition } from './pull.js';
import { pushObjects } from './push.js';
import { resolveApiRoot } from './resolve.js';

let server: Harness;
let coll: Collection;
let origin: string;

before(async () => {
  server = await startHarness({ syncIngestLimit: 100 });
  await server.ctx.registry.addApiRoot({ name: 'cert', title: 'National CERT' });
  coll = await server.ctx.registry.addCollection('cert', { alias: 'feed', title: 'Feed' });
  await server.ctx.registry.grant(coll.id, 'writer', { canRead: true, canWrite: true });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = server.app.server.address();
  assert.ok(addr && typeof addr === 'object');
  origin = `http://127.0.0.1:${addr.port}`;
});
after(() => server.close());

const client = () => new TaxiiClient({ auth: { token: server.tokens.writer } });

test('discovery URL resolves to the default API root; collections list', async () => {
  const c = client();
  const root = await resolveApiRoot(c, `${origin}/taxii2/`);
  assert.equal(root, `${origin}/taxii2/cert/`);
  assert.equal(await resolveApiRoot(c, `${origin}/taxii2/cert`), root);
  const cols = await c.collections(root);
  assert.deepEqual(
    cols.map((x) => [x.id, x.can_read, x.can_write]),
    [[coll.id, true, true]],
  );
});

test('push posts in envelopes, waits for pending statuses and reports failures', async () => {
  const c = client();
  const root = `${origin}/taxii2/cert/`;
  const objs: Record<string, unknown>[] = Array.from({ length: 1200 }, (_, i) => indicator(i));
  objs.push({
    type: 'indicator',
    id: 'indicator--00000000-0000-4000-8000-ffffffffffff',
    spec_version: '2.1',
  });
  const r = await pushObjects(c, root, coll.id, objs);
  assert.equal(r.total, 1201);
  assert.equal(r.successes, 1200);
  assert.equal(r.failures.length, 1);
  assert.equal(r.failures[0]?.id, 'indicator--00000000-0000-4000-8000-ffffffffffff');
  assert.ok(r.failures[0]?.message);
});

test('pull resumes after a restart from X-TAXII-Date-Added-Last: nothing missed, nothing fetched twice', async () => {
  const root = `${origin}/taxii2/cert/`;
  const { database, drop } = await openTestDatabase('sqlite');
  try {
    const run = (db: Database, maxPages?: number) =>
      pullCollection({ database: db, store: createStixStore(db), validate: stixValidator }, client(), {
        rootUrl: root,
        collectionId: coll.id,
        into: 'mirror',
        pageSize: 50,
        ...(maxPages ? { maxPages } : {}),
      });
    // First run stops after 5 pages (a crash, as far as the next run can tell).
    const first = await run(database, 5);
    assert.equal(first.received, 250);
    assert.equal(first.complete, false);
    const pos = await pullPosition(database, root, coll.id);
    assert.ok(pos);
    // "Restart": a fresh store on the same database, state read back from it.
    const second = await run(database);
    assert.equal(second.complete, true);
    assert.equal(second.received, 950);
    assert.equal(second.stored, 950);
    const store = createStixStore(database);
    const mirror = await store.getCollection('mirror');
    assert.ok(mirror);
    assert.deepEqual(await store.count(mirror.id), { versions: 1200, objects: 1200 });
    // Objects added later, many in one POST: the next pull fetches exactly those.
    const more = Array.from({ length: 300 }, (_, i) => indicator(5000 + i));
    const st = await client().addObjects(root, coll.id, more);
    await client().waitForStatus(root, st);
    const third = await run(database);
    assert.equal(third.received, 300);
    assert.equal(third.stored, 300);
    assert.deepEqual(await store.count(mirror.id), { versions: 1500, objects: 1500 });
    const fourth = await run(database);
    assert.equal(fourth.received, 0);
  } finally {
    await drop();
  }
});

test('errors: a TAXII error message becomes a ParleyError quoting the server', async () => {
  const bad = new TaxiiClient({ auth: { token: 'ptk_nope' } });
  await assert.rejects(
    bad.collections(`${origin}/taxii2/cert/`),
    (e: unknown) => e instanceof ParleyError && e.status === 401 && /Unauthorized/.test(e.message),
  );
  await assert.rejects(
    client().collection(`${origin}/taxii2/cert/`, '00000000-0000-4000-8000-000000000000'),
    (e: unknown) => e instanceof ParleyError && e.status === 404,
  );
  await assert.rejects(
    new TaxiiClient().discovery('http://127.0.0.1:1/taxii2/'),
    (e: unknown) => e instanceof ParleyError && e.code === 'taxii_client.unreachable',
  );
});
