/** The canned TAXII 2.1 responses of the OASIS reference client's tests parse with our client. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedData } from '../../../test/support/shared-data.js';
import {
  parseApiRoot,
  parseCollection,
  parseCollections,
  parseDiscovery,
  parseEnvelope,
  parseManifest,
  parseStatus,
} from './resources.js';

const canned = JSON.parse(
  readFileSync(sharedData('cti-taxii-client', 'v21_canned_responses.json'), 'utf8'),
) as {
  constants: Record<string, unknown>;
  urls: Record<string, string>;
};
const c = canned.constants;

test('discovery, API root, collections and collection', () => {
  const d = parseDiscovery(c.DISCOVERY_RESPONSE);
  assert.equal(d.default, 'https://example.com/api2/');
  assert.equal(d.api_roots.length, 3);
  const r = parseApiRoot(c.API_ROOT_RESPONSE);
  assert.equal(r.max_content_length, 9765625);
  assert.deepEqual(r.versions, ['application/taxii+json;version=2.1']);
  const cols = parseCollections(c.COLLECTIONS_RESPONSE);
  assert.ok(cols.length >= 2);
  assert.equal(cols[0]?.id, '91a7b528-80eb-42ed-a74d-c6fbd5a26116');
  assert.equal(parseCollection(c.COLLECTION_RESPONSE).can_write, false);
  const w = parseCollection(c.WRITABLE_COLLECTION);
  assert.equal(w.can_read, false);
  assert.equal(w.can_write, true);
});

test('every canned response parses with the parser of its kind', () => {
  const table: Record<string, (v: unknown) => unknown> = {
    DISCOVERY_RESPONSE: parseDiscovery,
    API_ROOT_RESPONSE: parseApiRoot,
    COLLECTIONS_RESPONSE: parseCollections,
    COLLECTION_RESPONSE: parseCollection,
    WRITABLE_COLLECTION: parseCollection,
    STIX_OBJECT: (o) => parseEnvelope({ objects: [o] }),
    ADD_OBJECTS_RESPONSE: parseStatus,
    ADD_OBJECTS_RESPONSE_FROM_SPEC: parseStatus,
    GET_MANIFEST_RESPONSE: parseManifest,
    STATUS_RESPONSE: parseStatus,
  };
  assert.deepEqual(Object.keys(c).sort(), Object.keys(table).sort());
  for (const [name, parse] of Object.entries(table)) assert.doesNotThrow(() => parse(c[name]), name);
});

test('status and manifest keep what a client needs; odd date_added values are kept verbatim', () => {
  const s = parseStatus(c.STATUS_RESPONSE);
  assert.equal(s.status, 'pending');
  assert.equal(s.total_count, 4);
  assert.equal(s.failures[0]?.id, 'malware--664fa29d-bf65-4f28-a667-bdb76f29ec98');
  const added = parseStatus(c.ADD_OBJECTS_RESPONSE);
  assert.equal(added.status, 'complete');
  assert.equal(added.successes[0]?.id, 'indicator--252c7c11-daf2-42bd-843b-be65edca9f61');
  const m = parseManifest(c.GET_MANIFEST_RESPONSE);
  assert.equal(m.more, false);
  assert.equal(m.objects[0]?.date_added, '2016-11-04T03:04:051Z');
});

test('a broken resource is a ParleyError naming the property', () => {
  assert.throws(
    () => parseDiscovery(JSON.parse(`${canned.urls.BAD_DISCOVERY_RESPONSE}1}`)),
    /title|JSON object/,
  );
  assert.throws(() => parseCollection({ id: 'x', title: 't', can_read: 'yes', can_write: true }), /can_read/);
  assert.throws(
    () =>
      parseStatus({
        id: 'x',
        status: 'complete',
        total_count: 2,
        success_count: 1,
        failure_count: 0,
        pending_count: 0,
      }),
    /do not add up/,
  );
});
