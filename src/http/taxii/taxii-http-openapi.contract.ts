/**
 * TAXII HTTP suite: the OpenAPI document of the TAXII routes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaxiiSuite } from './test-taxii-suite.js';

export function openApiCases(suite: TaxiiSuite): void {
  test('/openapi.json describes the TAXII routes from their schemas', async () => {
    const r = await suite.h.app.inject({ url: '/openapi.json' });
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
}
