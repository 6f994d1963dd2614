/**
 * TAXII HTTP suite, writing a collection: POST (status, media types, size, large envelopes) and DELETE.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Collection } from '../../store/index.js';
import { TAXII_MEDIA_TYPE } from './media-types.js';
import { indicator, startHarness } from './test-harness.js';
import type { TaxiiSuite } from './test-taxii-suite.js';

export function writeCases(suite: TaxiiSuite): void {
  const { base, get, post, errorOf } = suite;
  const T = TAXII_MEDIA_TYPE;

  test('POST: 202 with a status; validation failures carry a message; the status can be read back', async () => {
    const bad = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--00000000-0000-4000-8000-0000000000aa',
    };
    const r = await post(
      `${base}/collections/${suite.shared.id}/objects/`,
      { objects: [indicator(10), bad, indicator(2)] },
      suite.h.tokens.writer,
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
    const back = await get(`${base}/status/${s.id}/`, suite.h.tokens.writer);
    assert.equal(back.statusCode, 200);
    assert.deepEqual(back.json(), s);
    // Another caller's status is not theirs to read.
    errorOf(await get(`${base}/status/${s.id}/`, suite.h.tokens.reader), 404, 'taxii.no_such_status');
    errorOf(await get(`${base}/status/00000000-0000-4000-8000-000000000000/`), 404);
  });

  test('POST: 415 for a wrong Content-Type, 400 for bad JSON, STIX media type accepted', async () => {
    const url = `${base}/collections/${suite.shared.id}/objects/`;
    errorOf(
      await post(url, { objects: [] }, suite.h.tokens.writer, { 'content-type': 'application/json' }),
      415,
      'taxii.unsupported_media_type',
    );
    errorOf(
      await post(url, { objects: [] }, suite.h.tokens.writer, {
        'content-type': 'application/taxii+json;version=2.0',
      }),
      415,
    );
    errorOf(await post(url, { objects: [] }, suite.h.tokens.writer, { 'content-type': 'text/plain' }), 415);
    errorOf(await post(url, '{"objects": [', suite.h.tokens.writer), 400, 'taxii.bad_json');
    for (const ct of [
      'application/taxii+json',
      'application/stix+json;version=2.1',
      'application/taxii+json; version="2.1"',
    ]) {
      const r = await post(url, { objects: [indicator(11)] }, suite.h.tokens.writer, { 'content-type': ct });
      assert.equal(r.statusCode, 202, ct);
    }
  });

  test('POST: a body over max_content_length is a 413', async () => {
    const coll = (await suite.h.ctx.registry.collectionsOf('small'))[0] as Collection;
    const objs = Array.from({ length: 20 }, (_, i) => indicator(200 + i));
    errorOf(
      await post(`/taxii2/small/collections/${coll.id}/objects/`, { objects: objs }, suite.h.tokens.writer),
      413,
      'taxii.too_large',
    );
    const ok = await post(
      `/taxii2/small/collections/${coll.id}/objects/`,
      { objects: [indicator(300)] },
      suite.h.tokens.writer,
    );
    assert.equal(ok.statusCode, 202);
  });

  test('POST: a large envelope answers pending at once and completes in the background', async () => {
    const big = await startHarness({ backend: suite.backend, syncIngestLimit: 10 });
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
    const url = `${base}/collections/${suite.shared.id}/objects/indicator--00000000-0000-4000-8000-000000000003/`;
    await post(`${base}/collections/${suite.shared.id}/objects/`, {
      objects: [indicator(3, '2026-05-01T00:00:00.000Z')],
    });
    errorOf(
      await suite.h.app.inject({
        method: 'DELETE',
        url,
        headers: { accept: T, authorization: `Bearer ${suite.h.tokens.reader}` },
      }),
      403,
    );
    const del = (q = '') =>
      suite.h.app.inject({
        method: 'DELETE',
        url: url + q,
        headers: { accept: T, authorization: `Bearer ${suite.h.tokens.writer}` },
      });
    assert.equal((await del('?match[version]=2026-05-01T00:00:00.000Z')).statusCode, 200);
    assert.deepEqual((await get(`${url}versions/`)).json().versions, ['2026-01-01T00:00:00.000Z']);
    assert.equal((await del()).statusCode, 200);
    errorOf(await get(url), 404);
    errorOf(await del(), 404);
  });
}
