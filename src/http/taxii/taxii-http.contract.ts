/**
 * The HTTP-level TAXII 2.1 suite: every endpoint, status code and filter, run by
 * taxii-http.sqlite.test.ts and taxii-http.postgres.test.ts against the two back ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Collection } from '../../store/index.js';
import { TAXII_MEDIA_TYPE } from './media-types.js';
import { type Backend, type Harness, indicator, startHarness } from './test-harness.js';

const T = TAXII_MEDIA_TYPE;

export function runTaxiiHttpSuite(backend: Backend): void {
  describe(`TAXII 2.1 over HTTP (${backend})`, () => {
    let h: Harness;
    let shared: Collection; // reader: read; writer: read+write
    let dropbox: Collection; // writer: write only
    let secret: Collection; // nobody but admin
    const base = '/taxii2/api1';

    const get = (url: string, token = h.tokens.admin, headers: Record<string, string> = {}) =>
      h.app.inject({
        method: 'GET',
        url,
        headers: { accept: T, authorization: `Bearer ${token}`, ...headers },
      });
    const post = (url: string, body: unknown, token = h.tokens.admin, headers: Record<string, string> = {}) =>
      h.app.inject({
        method: 'POST',
        url,
        payload: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { accept: T, 'content-type': T, authorization: `Bearer ${token}`, ...headers },
      });
    const objectsOf = (r: LightMyRequestResponse) =>
      (r.json().objects ?? []) as ({ id: string } & Record<string, string>)[];
    const errorOf = (r: LightMyRequestResponse, status: number, code?: string) => {
      assert.equal(r.statusCode, status, r.body);
      assert.equal(r.headers['content-type'], T);
      const e = r.json();
      assert.equal(typeof e.title, 'string');
      assert.equal(e.http_status, String(status));
      if (code) assert.equal(e.error_code, code);
      return e;
    };

    before(async () => {
      h = await startHarness({ backend, maxPageSize: 50 });
      const reg = h.ctx.registry;
      await reg.addApiRoot({ name: 'api1', title: 'First root', description: 'general' });
      await reg.addApiRoot({
        name: 'small',
        title: 'Small bodies',
        maxContentLength: 2048,
        isDefault: false,
      });
      shared = await reg.addCollection('api1', {
        alias: 'shared',
        title: 'Shared',
        description: 'both ways',
      });
      dropbox = await reg.addCollection('api1', { alias: 'dropbox', title: 'Dropbox' });
      secret = await reg.addCollection('api1', { alias: 'secret', title: 'Secret' });
      const smallColl = await reg.addCollection('small', { alias: 'small-c', title: 'Small' });
      await reg.grant(shared.id, 'reader', { canRead: true, canWrite: false });
      await reg.grant(shared.id, 'writer', { canRead: true, canWrite: true });
      await reg.grant(dropbox.id, 'writer', { canRead: false, canWrite: true });
      await reg.grant(smallColl.id, 'writer', { canRead: true, canWrite: true });
      await h.ctx.principals.addUser('alice', 'reader', 'correct horse battery');
      // Three versions of object 1, one each of 2..5; object 5 is spec 2.1 too but a different type.
      const objs = [
        indicator(1, '2026-01-01T00:00:00.000Z'),
        indicator(1, '2026-02-01T00:00:00.000Z'),
        indicator(2),
        indicator(3),
        indicator(1, '2026-03-01T00:00:00.000Z'),
        indicator(4),
        {
          type: 'malware',
          spec_version: '2.1',
          id: 'malware--00000000-0000-4000-8000-000000000005',
          created: '2026-01-01T00:00:00.000Z',
          modified: '2026-01-01T00:00:00.000Z',
          name: 'm',
          is_family: false,
        },
      ];
      const r = await post(`${base}/collections/${shared.id}/objects/`, { objects: objs });
      assert.equal(r.statusCode, 202, r.body);
      assert.equal(r.json().success_count, 7);
    });
    after(() => h.close());

    test('discovery: title, absolute api_roots and default', async () => {
      const r = await get('/taxii2/', h.tokens.reader);
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], T);
      const d = r.json();
      assert.equal(typeof d.title, 'string');
      assert.deepEqual(d.api_roots, [
        'http://localhost:80/taxii2/api1/',
        'http://localhost:80/taxii2/small/',
      ]);
      assert.equal(d.default, 'http://localhost:80/taxii2/api1/');
    });

    test('authentication: 401 with WWW-Authenticate; Bearer and Basic accepted', async () => {
      const none = await h.app.inject({ url: '/taxii2/', headers: { accept: T } });
      errorOf(none, 401, 'taxii.unauthorized');
      assert.match(String(none.headers['www-authenticate']), /Basic/);
      errorOf(await get('/taxii2/', 'ptk_wrong'), 401);
      const basic = (u: string, p: string) =>
        h.app.inject({
          url: `${base}/`,
          headers: { accept: T, authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` },
        });
      assert.equal((await basic('alice', 'correct horse battery')).statusCode, 200);
      errorOf(await basic('alice', 'wrong password'), 401);
      errorOf(await basic('nobody', 'correct horse battery'), 401);
    });

    test('content negotiation: 406 for an Accept we cannot serve, exact media type out', async () => {
      for (const accept of [
        'application/taxii+json;version=2.1',
        'application/taxii+json',
        '*/*',
        'application/*',
        'text/html, application/taxii+json; version="2.1"',
      ]) {
        const r = await get(`${base}/`, h.tokens.admin, { accept });
        assert.equal(r.statusCode, 200, accept);
        assert.equal(r.headers['content-type'], 'application/taxii+json;version=2.1');
      }
      const noAccept = await h.app.inject({
        url: `${base}/`,
        headers: { authorization: `Bearer ${h.tokens.admin}` },
      });
      assert.equal(noAccept.statusCode, 200);
      for (const accept of [
        'application/json',
        'application/taxii+json;version=2.0',
        'application/stix+json;version=2.1',
        'application/taxii+json;q=0',
      ]) {
        errorOf(await get(`${base}/`, h.tokens.admin, { accept }), 406, 'taxii.not_acceptable');
      }
    });

    test('API root: information; unknown root and unknown path are TAXII 404s', async () => {
      const r = await get(`${base}/`, h.tokens.reader);
      assert.deepEqual(r.json(), {
        title: 'First root',
        description: 'general',
        versions: ['application/taxii+json;version=2.1'],
        max_content_length: 100 * 1024 * 1024,
      });
      errorOf(await get('/taxii2/nope/'), 404, 'taxii.no_such_root');
      errorOf(await get(`${base}/nothing/here/`), 404);
    });

    test('collections: only those the caller may read or write, with can_read/can_write', async () => {
      const asReader = (await get(`${base}/collections/`, h.tokens.reader)).json();
      assert.deepEqual(
        asReader.collections.map((c: { id: string; can_read: boolean; can_write: boolean }) => [
          c.id,
          c.can_read,
          c.can_write,
        ]),
        [[shared.id, true, false]],
      );
      const asWriter = (await get(`${base}/collections/`, h.tokens.writer)).json();
      assert.deepEqual(
        asWriter.collections.map((c: { id: string }) => c.id),
        [shared.id, dropbox.id],
      );
      const one = (await get(`${base}/collections/${shared.id}/`, h.tokens.reader)).json();
      assert.deepEqual(one, {
        id: shared.id,
        title: 'Shared',
        description: 'both ways',
        alias: 'shared',
        can_read: true,
        can_write: false,
        media_types: ['application/stix+json;version=2.1'],
      });
      // No access at all: the collection does not exist for this caller (404, not 403).
      errorOf(
        await get(`${base}/collections/${secret.id}/`, h.tokens.reader),
        404,
        'taxii.no_such_collection',
      );
      errorOf(await get(`${base}/collections/${secret.id}/objects/`, h.tokens.writer), 404);
      assert.equal((await get(`${base}/collections/${secret.id}/`, h.tokens.admin)).statusCode, 200);
    });

    test('permissions: 403 to read a write-only collection or write a read-only one', async () => {
      errorOf(
        await get(`${base}/collections/${dropbox.id}/objects/`, h.tokens.writer),
        403,
        'taxii.forbidden',
      );
      errorOf(await get(`${base}/collections/${dropbox.id}/manifest/`, h.tokens.writer), 403);
      errorOf(
        await post(
          `${base}/collections/${shared.id}/objects/`,
          { objects: [indicator(99)] },
          h.tokens.reader,
        ),
        403,
      );
      const ok = await post(
        `${base}/collections/${dropbox.id}/objects/`,
        { objects: [indicator(98)] },
        h.tokens.writer,
      );
      assert.equal(ok.statusCode, 202);
    });

    test('objects: latest versions by default, in date_added order, with date headers', async () => {
      const r = await get(`${base}/collections/${shared.id}/objects/`, h.tokens.reader);
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
      const url = `${base}/collections/${shared.id}/objects/`;
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
      const url = `${base}/collections/${shared.id}/objects/?match[version]=all`;
      const all = await get(url);
      const manifest = (await get(`${base}/collections/${shared.id}/manifest/?match[version]=all`)).json()
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
      const url = `${base}/collections/${shared.id}/objects/?match[version]=all`;
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
        await get(`${base}/collections/${shared.id}/objects/?next=${encodeURIComponent(next)}`),
        400,
        'taxii.next_mismatch',
      );
      errorOf(await get(`${url}&next=garbage`), 400, 'taxii.bad_next');
      // Larger than the server's maximum (50 here): served, capped.
      assert.equal(objectsOf(await get(`${url}&limit=100000`)).length, 7);
    });

    test('filters: malformed values are 400 naming the field', async () => {
      const url = `${base}/collections/${shared.id}/objects/`;
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
        `${base}/collections/${shared.id}/manifest/?match[version]=all&limit=2`,
        h.tokens.reader,
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
        await get(`${base}/collections/${shared.id}/manifest/?match[version]=all&next=${m.next}`)
      ).json();
      assert.equal(rest.objects.length, 5);
    });

    test('object: latest by default, match[version], 404 for an unknown object', async () => {
      const url = `${base}/collections/${shared.id}/objects/indicator--00000000-0000-4000-8000-000000000001/`;
      const r = await get(url, h.tokens.reader);
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
          `${base}/collections/${shared.id}/objects/indicator--00000000-0000-4000-8000-0000000000ff/`,
        ),
        404,
        'taxii.no_such_object',
      );
      errorOf(await get(`${url}?match[type]=indicator`), 400);
    });

    test('versions: every version of an object, paged, with date headers', async () => {
      const url = `${base}/collections/${shared.id}/objects/indicator--00000000-0000-4000-8000-000000000001/versions/`;
      const r = await get(url, h.tokens.reader);
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
          `${base}/collections/${shared.id}/objects/indicator--00000000-0000-4000-8000-0000000000ff/versions/`,
        ),
        404,
      );
    });

    test('POST: 202 with a status; validation failures carry a message; the status can be read back', async () => {
      const bad = {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--00000000-0000-4000-8000-0000000000aa',
      };
      const r = await post(
        `${base}/collections/${shared.id}/objects/`,
        { objects: [indicator(10), bad, indicator(2)] },
        h.tokens.writer,
      );
      assert.equal(r.statusCode, 202, r.body);
      assert.equal(r.headers['content-type'], T);
      const s = r.json();
      assert.equal(s.status, 'complete');
      assert.equal(s.total_count, 3);
      assert.equal(s.success_count, 2);
      assert.equal(s.failure_count, 1);
      assert.equal(s.pending_count, 0);
      assert.equal(s.failures[0].id, bad.id);
      assert.match(s.failures[0].message, /required/);
      assert.equal(
        s.successes.find((x: { id: string }) => x.id === indicator(2).id).message,
        'already present',
      );
      const back = await get(`${base}/status/${s.id}/`, h.tokens.writer);
      assert.equal(back.statusCode, 200);
      assert.deepEqual(back.json(), s);
      // Another caller's status is not theirs to read.
      errorOf(await get(`${base}/status/${s.id}/`, h.tokens.reader), 404, 'taxii.no_such_status');
      errorOf(await get(`${base}/status/00000000-0000-4000-8000-000000000000/`), 404);
    });

    test('POST: 415 for a wrong Content-Type, 400 for bad JSON, STIX media type accepted', async () => {
      const url = `${base}/collections/${shared.id}/objects/`;
      errorOf(
        await post(url, { objects: [] }, h.tokens.writer, { 'content-type': 'application/json' }),
        415,
        'taxii.unsupported_media_type',
      );
      errorOf(
        await post(url, { objects: [] }, h.tokens.writer, {
          'content-type': 'application/taxii+json;version=2.0',
        }),
        415,
      );
      errorOf(await post(url, { objects: [] }, h.tokens.writer, { 'content-type': 'text/plain' }), 415);
      errorOf(await post(url, '{"objects": [', h.tokens.writer), 400, 'taxii.bad_json');
      for (const ct of [
        'application/taxii+json',
        'application/stix+json;version=2.1',
        'application/taxii+json; version="2.1"',
      ]) {
        const r = await post(url, { objects: [indicator(11)] }, h.tokens.writer, { 'content-type': ct });
        assert.equal(r.statusCode, 202, ct);
      }
    });

    test('POST: a body over max_content_length is a 413', async () => {
      const coll = (await h.ctx.registry.collectionsOf('small'))[0] as Collection;
      const objs = Array.from({ length: 20 }, (_, i) => indicator(200 + i));
      errorOf(
        await post(`/taxii2/small/collections/${coll.id}/objects/`, { objects: objs }, h.tokens.writer),
        413,
        'taxii.too_large',
      );
      const ok = await post(
        `/taxii2/small/collections/${coll.id}/objects/`,
        { objects: [indicator(300)] },
        h.tokens.writer,
      );
      assert.equal(ok.statusCode, 202);
    });

    test('POST: a large envelope answers pending at once and completes in the background', async () => {
      const big = await startHarness({ backend, syncIngestLimit: 10 });
      try {
        await big.ctx.registry.addApiRoot({ name: 'r', title: 'R' });
        const c = await big.ctx.registry.addCollection('r', { alias: 'c', title: 'C' });
        const objs = Array.from({ length: 2500 }, (_, i) => indicator(i));
        const r = await big.app.inject({
          method: 'POST',
          url: `/taxii2/r/collections/${c.id}/objects/`,
          payload: JSON.stringify({ objects: objs }),
          headers: { accept: T, 'content-type': T, authorization: `Bearer ${big.tokens.admin}` },
        });
        assert.equal(r.statusCode, 202);
        const s = r.json();
        assert.equal(s.status, 'pending');
        assert.equal(s.pending_count, 2500);
        assert.equal(s.pendings.length, 2500);
        let cur = s;
        for (let i = 0; i < 200 && cur.status !== 'complete'; i++) {
          await new Promise((res) => setTimeout(res, 25));
          cur = (
            await big.app.inject({
              url: `/taxii2/r/status/${s.id}/`,
              headers: { accept: T, authorization: `Bearer ${big.tokens.admin}` },
            })
          ).json();
          assert.equal(cur.success_count + cur.failure_count + cur.pending_count, 2500);
        }
        assert.equal(cur.status, 'complete');
        assert.equal(cur.success_count, 2500);
      } finally {
        await big.close();
      }
    });

    test('DELETE: one version, then the rest; 404 afterwards', async () => {
      const url = `${base}/collections/${shared.id}/objects/indicator--00000000-0000-4000-8000-000000000003/`;
      await post(`${base}/collections/${shared.id}/objects/`, {
        objects: [indicator(3, '2026-05-01T00:00:00.000Z')],
      });
      errorOf(
        await h.app.inject({
          method: 'DELETE',
          url,
          headers: { accept: T, authorization: `Bearer ${h.tokens.reader}` },
        }),
        403,
      );
      const del = (q = '') =>
        h.app.inject({
          method: 'DELETE',
          url: url + q,
          headers: { accept: T, authorization: `Bearer ${h.tokens.writer}` },
        });
      assert.equal((await del('?match[version]=2026-05-01T00:00:00.000Z')).statusCode, 200);
      assert.deepEqual((await get(`${url}versions/`)).json().versions, ['2026-01-01T00:00:00.000Z']);
      assert.equal((await del()).statusCode, 200);
      errorOf(await get(url), 404);
      errorOf(await del(), 404);
    });

    test('/openapi.json describes the TAXII routes from their schemas', async () => {
      const r = await h.app.inject({ url: '/openapi.json' });
      assert.equal(r.statusCode, 200);
      const doc = r.json();
      assert.equal(doc.openapi, '3.1.0');
      for (const p of [
        '/taxii2/',
        '/taxii2/{root}/',
        '/taxii2/{root}/status/{statusId}/',
        '/taxii2/{root}/collections/',
        '/taxii2/{root}/collections/{collectionId}/',
        '/taxii2/{root}/collections/{collectionId}/objects/',
        '/taxii2/{root}/collections/{collectionId}/manifest/',
        '/taxii2/{root}/collections/{collectionId}/objects/{objectId}/',
        '/taxii2/{root}/collections/{collectionId}/objects/{objectId}/versions/',
      ]) {
        assert.ok(doc.paths[p], `${p} in ${Object.keys(doc.paths).join(' ')}`);
      }
      const objects = doc.paths['/taxii2/{root}/collections/{collectionId}/objects/'];
      assert.ok(objects.get.parameters.some((p: { name: string }) => p.name === 'match[type]'));
      assert.ok(objects.post.requestBody);
      assert.ok(
        objects.post.responses['202'].content['application/taxii+json;version=2.1'].schema.properties
          .pending_count,
      );
    });
  });
}
