/**
 * TAXII HTTP suite, reading a collection: objects (filters, paging), manifest, one object, its versions.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TAXII_MEDIA_TYPE } from './media-types.js';
import type { TaxiiSuite } from './test-taxii-suite.js';

export function readCases(suite: TaxiiSuite): void {
  const { base, get, objectsOf, errorOf } = suite;
  const T = TAXII_MEDIA_TYPE;

  test('objects: latest versions by default, in date_added order, with date headers', async () => {
    const r = await get(`${base}/collections/${suite.shared.id}/objects/`, suite.h.tokens.reader);
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], T);
    const objs = objectsOf(r);
    assert.deepEqual(
      objs.map((o) => o.id.slice(-1) + (o.type === 'indicator' ? `@${o.modified?.slice(5, 7)}` : '')),
      ['2@01', '3@01', '1@03', '4@01', '5'],
    );
    assert.equal(r.json().more, false);
    assert.match(String(r.headers['x-taxii-date-added-first']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.ok(String(r.headers['x-taxii-date-added-first']) < String(r.headers['x-taxii-date-added-last']));
  });

  test('objects: match[version] first, last, all and a timestamp; match[id], match[type], match[spec_version]', async () => {
    const url = `${base}/collections/${suite.shared.id}/objects/`;
    const ids = async (q: string) =>
      objectsOf(await get(`${url}?${q}`)).map(
        (o) => `${o.id.slice(-1)}${o.modified ? `@${o.modified.slice(5, 7)}` : ''}`,
      );
    assert.deepEqual(await ids('match[version]=all'), [
      '1@01',
      '1@02',
      '2@01',
      '3@01',
      '1@03',
      '4@01',
      '5@01',
    ]);
    assert.deepEqual(
      await ids('match[version]=first&match[id]=indicator--00000000-0000-4000-8000-000000000001'),
      ['1@01'],
    );
    assert.deepEqual(
      await ids('match[version]=last&match[id]=indicator--00000000-0000-4000-8000-000000000001'),
      ['1@03'],
    );
    assert.deepEqual(await ids('match[version]=2026-02-01T00:00:00.000Z'), ['1@02']);
    // Several values select the union (section 3.4.4).
    const one = 'match[id]=indicator--00000000-0000-4000-8000-000000000001';
    assert.deepEqual(await ids(`match[version]=first,last&${one}`), ['1@01', '1@03']);
    assert.deepEqual(await ids(`match[version]=first,2026-02-01T00:00:00Z&${one}`), ['1@01', '1@02']);
    assert.deepEqual(await ids(`match[version]=last,2026-02-01T00:00:00.000Z&${one}`), ['1@02', '1@03']);
    assert.deepEqual(await ids('match[type]=malware'), ['5@01']);
    assert.deepEqual(await ids('match[type]=malware,indicator&match[version]=first'), [
      '1@01',
      '2@01',
      '3@01',
      '4@01',
      '5@01',
    ]);
    assert.deepEqual(
      await ids(
        'match[id]=indicator--00000000-0000-4000-8000-000000000002&match[id]=indicator--00000000-0000-4000-8000-000000000004',
      ),
      ['2@01', '4@01'],
    );
    assert.deepEqual(await ids('match[spec_version]=2.0'), []);
    assert.equal((await ids('match[spec_version]=2.1')).length, 5);
  });

  test('objects: added_after is exclusive on date_added', async () => {
    const url = `${base}/collections/${suite.shared.id}/objects/?match[version]=all`;
    const all = await get(url);
    const manifest = (await get(`${base}/collections/${suite.shared.id}/manifest/?match[version]=all`)).json()
      .objects;
    const third = manifest[2].date_added;
    const after = objectsOf(await get(`${url}&added_after=${third}`));
    assert.equal(after.length, objectsOf(all).length - 3);
    assert.equal(after[0]?.id, manifest[3].id);
    const none = await get(`${url}&added_after=${all.headers['x-taxii-date-added-last']}`);
    assert.deepEqual(none.json(), { more: false });
    assert.equal(none.headers['x-taxii-date-added-first'], undefined);
  });

  test('objects: limit, more and next; a next with changed filters is a 400', async () => {
    const url = `${base}/collections/${suite.shared.id}/objects/?match[version]=all`;
    const p1 = await get(`${url}&limit=3`);
    assert.equal(p1.json().more, true);
    assert.equal(objectsOf(p1).length, 3);
    const next = p1.json().next as string;
    const p2 = await get(`${url}&limit=3&next=${encodeURIComponent(next)}`);
    assert.equal(objectsOf(p2).length, 3);
    // The page size may change between pages; the filters may not.
    const p3 = await get(`${url}&limit=10&next=${encodeURIComponent(p2.json().next)}`);
    assert.deepEqual(p3.json().more, false);
    assert.equal(objectsOf(p3).length, 1);
    assert.equal(p3.json().next, undefined);
    errorOf(
      await get(`${url}&match[type]=malware&next=${encodeURIComponent(next)}`),
      400,
      'taxii.next_mismatch',
    );
    errorOf(
      await get(`${base}/collections/${suite.shared.id}/objects/?next=${encodeURIComponent(next)}`),
      400,
      'taxii.next_mismatch',
    );
    errorOf(await get(`${url}&next=garbage`), 400, 'taxii.bad_next');
    // Larger than the server's maximum (50 here): served, capped.
    assert.equal(objectsOf(await get(`${url}&limit=100000`)).length, 7);
  });

  test('filters: malformed values are 400 naming the field', async () => {
    const url = `${base}/collections/${suite.shared.id}/objects/`;
    for (const [q, field] of [
      ['limit=0', 'limit'],
      ['limit=-1', 'limit'],
      ['limit=abc', 'limit'],
      ['added_after=yesterday', 'added_after'],
      ['match[id]=not-an-id', 'match[id]'],
      ['match[version]=sometime', 'match[version]'],
      ['match[type]=', 'match[type]'],
    ]) {
      const e = errorOf(await get(`${url}?${q}`), 400);
      assert.equal(e.details.field, field, q);
    }
  });

  test('manifest: one record per version with date_added, version, media_type', async () => {
    const r = await get(
      `${base}/collections/${suite.shared.id}/manifest/?match[version]=all&limit=2`,
      suite.h.tokens.reader,
    );
    assert.equal(r.statusCode, 200);
    const m = r.json();
    assert.equal(m.more, true);
    assert.equal(typeof m.next, 'string');
    assert.deepEqual(Object.keys(m.objects[0]).sort(), ['date_added', 'id', 'media_type', 'version']);
    assert.equal(m.objects[0].media_type, 'application/stix+json;version=2.1');
    assert.equal(m.objects[0].version, '2026-01-01T00:00:00.000Z');
    assert.equal(r.headers['x-taxii-date-added-first'], m.objects[0].date_added);
    assert.equal(r.headers['x-taxii-date-added-last'], m.objects[1].date_added);
    const rest = (
      await get(`${base}/collections/${suite.shared.id}/manifest/?match[version]=all&next=${m.next}`)
    ).json();
    assert.equal(rest.objects.length, 5);
  });

  test('object: latest by default, match[version], 404 for an unknown object', async () => {
    const url = `${base}/collections/${suite.shared.id}/objects/indicator--00000000-0000-4000-8000-000000000001/`;
    const r = await get(url, suite.h.tokens.reader);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(
      objectsOf(r).map((o) => o.modified),
      ['2026-03-01T00:00:00.000Z'],
    );
    assert.ok(r.headers['x-taxii-date-added-last']);
    const all = objectsOf(await get(`${url}?match[version]=all`));
    assert.equal(all.length, 3);
    const paged = await get(`${url}?match[version]=all&limit=2`);
    assert.equal(paged.json().more, true);
    assert.equal(
      objectsOf(await get(`${url}?match[version]=all&limit=2&next=${paged.json().next}`)).length,
      1,
    );
    errorOf(
      await get(
        `${base}/collections/${suite.shared.id}/objects/indicator--00000000-0000-4000-8000-0000000000ff/`,
      ),
      404,
      'taxii.no_such_object',
    );
    errorOf(await get(`${url}?match[type]=indicator`), 400);
  });

  test('versions: every version of an object, paged, with date headers', async () => {
    const url = `${base}/collections/${suite.shared.id}/objects/indicator--00000000-0000-4000-8000-000000000001/versions/`;
    const r = await get(url, suite.h.tokens.reader);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), {
      more: false,
      versions: ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    });
    assert.ok(r.headers['x-taxii-date-added-first']);
    const p1 = (await get(`${url}?limit=2`)).json();
    assert.deepEqual(p1.versions.length, 2);
    assert.deepEqual((await get(`${url}?limit=2&next=${p1.next}`)).json().versions, [
      '2026-03-01T00:00:00.000Z',
    ]);
    errorOf(await get(`${url}?match[version]=all`), 400);
    errorOf(
      await get(
        `${base}/collections/${suite.shared.id}/objects/indicator--00000000-0000-4000-8000-0000000000ff/versions/`,
      ),
      404,
    );
  });
}
