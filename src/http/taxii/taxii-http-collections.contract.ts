/**
 * TAXII HTTP suite: the collections endpoints, and what each role may read or write.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indicator } from './test-harness.js';
import type { TaxiiSuite } from './test-taxii-suite.js';

export function collectionCases(suite: TaxiiSuite): void {
  const { base, get, post, errorOf } = suite;

  test('collections: only those the caller may read or write, with can_read/can_write', async () => {
    const asReader = (await get(`${base}/collections/`, suite.h.tokens.reader)).json();
    assert.deepEqual(
      asReader.collections.map((c: { id: string; can_read: boolean; can_write: boolean }) => [
        c.id,
        c.can_read,
        c.can_write,
      ]),
      [[suite.shared.id, true, false]],
    );
    const asWriter = (await get(`${base}/collections/`, suite.h.tokens.writer)).json();
    assert.deepEqual(
      asWriter.collections.map((c: { id: string }) => c.id),
      [suite.shared.id, suite.dropbox.id],
    );
    const one = (await get(`${base}/collections/${suite.shared.id}/`, suite.h.tokens.reader)).json();
    assert.deepEqual(one, {
      id: suite.shared.id,
      title: 'Shared',
      description: 'both ways',
      alias: 'shared',
      can_read: true,
      can_write: false,
      media_types: ['application/stix+json;version=2.1'],
    });
    // No access at all: the collection does not exist for this caller (404, not 403).
    errorOf(
      await get(`${base}/collections/${suite.secret.id}/`, suite.h.tokens.reader),
      404,
      'taxii.no_such_collection',
    );
    errorOf(await get(`${base}/collections/${suite.secret.id}/objects/`, suite.h.tokens.writer), 404);
    assert.equal(
      (await get(`${base}/collections/${suite.secret.id}/`, suite.h.tokens.admin)).statusCode,
      200,
    );
  });

  test('permissions: 403 to read a write-only collection or write a read-only one', async () => {
    errorOf(
      await get(`${base}/collections/${suite.dropbox.id}/objects/`, suite.h.tokens.writer),
      403,
      'taxii.forbidden',
    );
    errorOf(await get(`${base}/collections/${suite.dropbox.id}/manifest/`, suite.h.tokens.writer), 403);
    errorOf(
      await post(
        `${base}/collections/${suite.shared.id}/objects/`,
        { objects: [indicator(99)] },
        suite.h.tokens.reader,
      ),
      403,
    );
    const ok = await post(
      `${base}/collections/${suite.dropbox.id}/objects/`,
      { objects: [indicator(98)] },
      suite.h.tokens.writer,
    );
    assert.equal(ok.statusCode, 202);
  });
}
