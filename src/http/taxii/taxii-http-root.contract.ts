/**
 * TAXII HTTP suite, server level: discovery, authentication, content negotiation, the API root.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TAXII_MEDIA_TYPE } from './media-types.js';
import type { TaxiiSuite } from './test-taxii-suite.js';

export function rootCases(suite: TaxiiSuite): void {
  const { base, get, errorOf } = suite;
  const T = TAXII_MEDIA_TYPE;

  test('discovery: title, absolute api_roots and default', async () => {
    const r = await get('/taxii2/', suite.h.tokens.reader);
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], T);
    const d = r.json();
    assert.equal(typeof d.title, 'string');
    assert.deepEqual(d.api_roots, ['http://localhost:80/taxii2/api1/', 'http://localhost:80/taxii2/small/']);
    assert.equal(d.default, 'http://localhost:80/taxii2/api1/');
  });

  test('authentication: 401 with WWW-Authenticate; Bearer and Basic accepted', async () => {
    const none = await suite.h.app.inject({ url: '/taxii2/', headers: { accept: T } });
    errorOf(none, 401, 'taxii.unauthorized');
    assert.match(String(none.headers['www-authenticate']), /Basic/);
    errorOf(await get('/taxii2/', 'ptk_wrong'), 401);
    const basic = (u: string, p: string) =>
      suite.h.app.inject({
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
      const r = await get(`${base}/`, suite.h.tokens.admin, { accept });
      assert.equal(r.statusCode, 200, accept);
      assert.equal(r.headers['content-type'], 'application/taxii+json;version=2.1');
    }
    const noAccept = await suite.h.app.inject({
      url: `${base}/`,
      headers: { authorization: `Bearer ${suite.h.tokens.admin}` },
    });
    assert.equal(noAccept.statusCode, 200);
    for (const accept of [
      'application/json',
      'application/taxii+json;version=2.0',
      'application/stix+json;version=2.1',
      'application/taxii+json;q=0',
    ]) {
      errorOf(await get(`${base}/`, suite.h.tokens.admin, { accept }), 406, 'taxii.not_acceptable');
    }
  });

  test('API root: information; unknown root and unknown path are TAXII 404s', async () => {
    const r = await get(`${base}/`, suite.h.tokens.reader);
    assert.deepEqual(r.json(), {
      title: 'First root',
      description: 'general',
      versions: ['application/taxii+json;version=2.1'],
      max_content_length: 100 * 1024 * 1024,
    });
    errorOf(await get('/taxii2/nope/'), 404, 'taxii.no_such_root');
    errorOf(await get(`${base}/nothing/here/`), 404);
  });
}
