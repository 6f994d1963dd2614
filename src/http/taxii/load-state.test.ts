/**
 * The OASIS reference server's data file (medallion default_data.json) loads as a node's state, and
 * the responses for it have the shapes of TAXII 2.1 sections 4 and 5.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sharedData } from '../../../test/support/shared-data.js';
import { type LoadedState, loadTaxiiState } from './load-state.js';
import { TAXII_MEDIA_TYPE } from './media-types.js';
import { type Harness, startHarness } from './test-harness.js';

const HIGH_VALUE = '91a7b528-80eb-42ed-a74d-c6fbd5a26116';
let h: Harness;
let loaded: LoadedState;
let member: string;

before(async () => {
  h = await startHarness();
  loaded = await loadTaxiiState(sharedData('cti-taxii-server', 'default_data.json'), h.ctx);
  member = (await h.ctx.principals.createToken('member')).token;
});
after(() => h.close());

const get = async (url: string) => {
  const r = await h.app.inject({
    url,
    headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${member}` },
  });
  assert.equal(r.headers['content-type'], TAXII_MEDIA_TYPE);
  return r;
};

test('the file loads: three API roots, five collections, the objects and the statuses', () => {
  assert.deepEqual(loaded.roots, ['api1', 'api2', 'trustgroup1']);
  assert.equal(loaded.collections, 5);
  assert.equal(loaded.statuses, 2);
  // The STIX 2.0 malware version (no spec_version) is refused by the STIX 2.1 core; the rest load.
  assert.equal(loaded.stored + loaded.failures.length, 8);
  assert.ok(loaded.stored >= 7, JSON.stringify(loaded.failures));
});

test("discovery and API roots have the file's content and the spec's shape", async () => {
  const d = (await get('/taxii2/')).json();
  assert.equal(d.title, 'Some TAXII Server');
  assert.equal(d.contact, 'string containing contact information');
  assert.equal(d.default, 'http://localhost:80/taxii2/trustgroup1/');
  assert.equal(d.api_roots.length, 3);
  const root = (await get('/taxii2/trustgroup1/')).json();
  assert.deepEqual(root, {
    title: 'Malware Research Group',
    description: 'A trust group setup for malware researchers',
    versions: ['application/taxii+json;version=2.1'],
    max_content_length: 9765625,
  });
});

test('collections keep their can_read/can_write; one with neither is hidden', async () => {
  const list = (await get('/taxii2/trustgroup1/collections/')).json().collections as {
    id: string;
    can_read: boolean;
    can_write: boolean;
    media_types: string[];
  }[];
  assert.deepEqual(
    list.map((c) => [c.id, c.can_read, c.can_write]),
    [
      ['472c94ae-3113-4e3e-a4dd-a9f4ac7471d4', false, true],
      ['365fed99-08fa-fdcd-a1b3-fb247eb41d01', true, true],
      [HIGH_VALUE, true, true],
      ['52892447-4d7e-4f70-b94d-d7f22742ff63', true, false],
    ],
  );
  for (const c of list) assert.deepEqual(c.media_types, ['application/stix+json;version=2.1']);
  assert.equal(
    (await get('/taxii2/trustgroup1/collections/64993447-4d7e-4f70-b94d-d7f33742ee63/')).statusCode,
    404,
  );
  assert.deepEqual((await get('/taxii2/api1/collections/')).json(), {});
});

test("objects, manifest, object and versions answer in the spec's shapes", async () => {
  const base = `/taxii2/trustgroup1/collections/${HIGH_VALUE}`;
  const objects = (await get(`${base}/objects/`)).json();
  assert.equal(objects.more, false);
  assert.ok(
    objects.objects.every(
      (o: { type: string; id: string }) => typeof o.type === 'string' && o.id.includes('--'),
    ),
  );
  const manifest = (await get(`${base}/manifest/?match[version]=all`)).json();
  assert.equal(manifest.objects.length, loaded.stored);
  for (const m of manifest.objects) {
    assert.deepEqual(Object.keys(m).sort(), ['date_added', 'id', 'media_type', 'version']);
  }
  const ind = 'indicator--6770298f-0fd8-471a-ab8c-1c658a46574e';
  const versions = (await get(`${base}/objects/${ind}/versions/`)).json();
  assert.deepEqual(versions, {
    more: false,
    versions: ['2016-11-03T12:30:59.000Z', '2016-12-25T12:30:59.444Z', '2017-01-27T13:49:53.935Z'],
  });
  const one = (await get(`${base}/objects/${ind}/`)).json();
  assert.equal(one.objects[0].modified, '2017-01-27T13:49:53.935Z');
  const first = (await get(`${base}/objects/${ind}/?match[version]=first`)).json();
  assert.equal(first.objects[0].modified, '2016-11-03T12:30:59.000Z');
  // Several values: their union, oldest first.
  const ends = (await get(`${base}/objects/${ind}/?match[version]=last,first`)).json();
  assert.deepEqual(
    ends.objects.map((o: { modified: string }) => o.modified),
    ['2016-11-03T12:30:59.000Z', '2017-01-27T13:49:53.935Z'],
  );
  const mixed = (await get(`${base}/objects/${ind}/?match[version]=first,2016-12-25T12:30:59.444Z`)).json();
  assert.equal(mixed.objects.length, 2);
});

test("the file's status resources are served with consistent counts", async () => {
  const s = (await get('/taxii2/trustgroup1/status/2d086da7-4bdc-4f91-900e-d77486753710/')).json();
  assert.equal(s.status, 'pending');
  assert.equal(s.total_count, 4);
  assert.equal(s.success_count, 1);
  assert.equal(s.failure_count, 1);
  assert.equal(s.pending_count, 2);
  assert.equal(s.failures[0].message, 'Unable to process object');
  const empty = (await get('/taxii2/trustgroup1/status/2d086da7-4bdc-4f91-900e-f4566be4b780/')).json();
  assert.equal(empty.total_count, 0);
});
