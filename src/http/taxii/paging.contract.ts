/**
 * Paging through 10,000 objects returns each exactly once, whatever the page size, following `next`
 * or resuming from X-TAXII-Date-Added-Last with added_after (TAXII 2.1 section 3.4.3). Run by
 * paging.test.ts and paging-size-1.test.ts (10,000 requests, a file of its own to stay fast).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Collection } from '../../store/index.js';
import { TAXII_MEDIA_TYPE } from './media-types.js';
import { type Harness, indicator, startHarness } from './test-harness.js';

const N = 10_000;
export function runPagingTests(sizes: number[], withAddedAfter: boolean): void {
  let h: Harness;
  let coll: Collection;

  before(async () => {
    h = await startHarness({ maxPageSize: N });
    await h.ctx.registry.addApiRoot({ name: 'r', title: 'R' });
    coll = await h.ctx.registry.addCollection('r', { alias: 'big', title: 'Big' });
    // One store batch of 10,000 objects: every one must still get its own date_added.
    const objs = Array.from({ length: N }, (_, i) => indicator(i));
    const out = await h.store.ingest(
      coll.id,
      objs.map((o) => ({
        head: {
          id: o.id as string,
          type: 'indicator',
          spec_version: '2.1',
          created: o.created as string,
          modified: o.modified as string,
        },
        json: JSON.stringify(o),
      })),
    );
    assert.equal(out.filter((o) => o.status === 'stored').length, N);
  });
  after(() => h.close());

  async function page(query: string) {
    const r = await h.app.inject({
      url: `/taxii2/r/collections/${coll.id}/objects/?${query}`,
      headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${h.tokens.admin}` },
    });
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json() as { more: boolean; next?: string; objects?: { id: string }[] };
    return { body, last: r.headers['x-taxii-date-added-last'] as string | undefined };
  }

  function assertEachOnce(seen: string[]) {
    assert.equal(seen.length, N);
    assert.equal(new Set(seen).size, N);
  }

  for (const size of sizes) {
    test(`following next with limit=${size} returns each of ${N} objects exactly once`, async () => {
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      for (;;) {
        const { body } = await page(`limit=${size}${next ? `&next=${encodeURIComponent(next)}` : ''}`);
        pages++;
        for (const o of body.objects ?? []) seen.push(o.id);
        if (!body.more) break;
        assert.ok(body.next);
        next = body.next;
      }
      assertEachOnce(seen);
      assert.equal(pages, Math.ceil(N / size));
    });
  }

  if (withAddedAfter)
    test('resuming from X-TAXII-Date-Added-Last with added_after returns each object exactly once', async () => {
      const seen: string[] = [];
      let addedAfter: string | undefined;
      for (;;) {
        const { body, last } = await page(`limit=333${addedAfter ? `&added_after=${addedAfter}` : ''}`);
        for (const o of body.objects ?? []) seen.push(o.id);
        if (!body.more) break;
        addedAfter = last;
      }
      assertEachOnce(seen);
    });
}
