/** StixStore contract: page queries, filters, paging with every page size, streams, counts. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { ObjectToStore, StixStore, StoredObject } from '../stix-store.js';
import {
  assertStrictlyIncreasing,
  type ContractContext,
  type Filter,
  sdoId,
  stixVersion,
  T,
} from './fixtures.js';

export function queryCases(ctx: ContractContext): void {
  let s: StixStore;
  const newCollection = ctx.newCollection;
  before(() => {
    s = ctx.store();
  });

  describe('query', () => {
    let c: string;
    const ids: string[] = [];
    const types = ['indicator', 'malware', 'attack-pattern'];
    before(async () => {
      c = await newCollection();
      // 30 objects across three types, every third one with a second version ingested later.
      const batch: ObjectToStore[] = [];
      for (let i = 0; i < 30; i++) {
        const id = sdoId(types[i % 3]!);
        ids.push(id);
        batch.push(stixVersion(id, T(10), i % 5 === 0 ? { spec_version: '2.0' } : {}));
      }
      await s.ingest(c, batch.slice(0, 17));
      await s.ingest(c, batch.slice(17));
      await s.ingest(
        c,
        ids.filter((_, i) => i % 3 === 0).map((id) => stixVersion(id, T(20))),
      );
    });

    const all = (extra: object = {}) =>
      s.query({ collectionId: c, limit: 1000, versions: { kind: 'all' }, ...extra });

    it('pages through every object exactly once, for every page size', async () => {
      for (const filter of [
        { versions: { kind: 'all' } },
        { versions: { kind: 'last' } },
        { versions: { kind: 'first' } },
        { versions: { kind: 'all' }, types: ['malware', 'indicator'] },
        { versions: { kind: 'last' }, types: ['attack-pattern'] },
      ] as Filter[]) {
        const everything = await s.query({ collectionId: c, limit: 1000, ...filter });
        assertStrictlyIncreasing(everything);
        const n = everything.length;
        for (let size = 1; size <= n + 1; size++) {
          const seen: StoredObject[] = [];
          let after: bigint | undefined;
          for (let guard = 0; guard <= n + 1; guard++) {
            const page = await s.query({ collectionId: c, limit: size, addedAfterUs: after, ...filter });
            assert.ok(page.length <= size);
            seen.push(...page);
            if (page.length < size) break;
            after = page[page.length - 1]!.dateAddedUs;
          }
          assert.deepEqual(seen, everything, `${JSON.stringify(filter)} page size ${size}`);
        }
      }
    });

    it('filters by type, id, spec version and added_after', async () => {
      const every = await all();
      assert.equal(every.length, 40);
      const malware = await all({ types: ['malware'] });
      assert.ok(malware.length > 0 && malware.every((r) => r.type === 'malware'));
      assert.equal(malware.length, every.filter((r) => r.type === 'malware').length);
      const two = await all({ types: ['malware', 'indicator', 'malware'] });
      assert.deepEqual(
        two,
        every.filter((r) => r.type === 'malware' || r.type === 'indicator'),
      );
      const byId = await all({ ids: [ids[0]!, ids[4]!] });
      assert.deepEqual(
        byId,
        every.filter((r) => r.id === ids[0] || r.id === ids[4]),
      );
      assert.deepEqual(await all({ ids: [ids[0]!], types: ['malware'] }), []);
      const v20 = await all({ specVersions: ['2.0'] });
      assert.deepEqual(
        v20,
        every.filter((r) => r.specVersion === '2.0'),
      );
      const mid = every[19]!.dateAddedUs;
      assert.deepEqual(await all({ addedAfterUs: mid }), every.slice(20));
      assert.deepEqual(await all({ addedAfterUs: every[39]!.dateAddedUs }), []);
      for (const empty of [
        { ids: [] },
        { types: [] },
        { specVersions: [] },
        { versions: { kind: 'at', versions: [] } },
      ] as Filter[]) {
        assert.deepEqual(await s.query({ collectionId: c, limit: 10, ...empty }), []);
      }
      assert.deepEqual(await s.query({ collectionId: c, limit: 0 }), []);
      const latest = await s.query({
        collectionId: c,
        limit: 1000,
        types: ['indicator'],
        ids: [ids[0]!, ids[1]!, ids[3]!],
      });
      assert.deepEqual(
        latest.map((r) => [r.id, r.version]),
        [
          [ids[0], T(20)],
          [ids[3], T(20)],
        ],
      );
    });

    it('streams a query in pages', async () => {
      const streamed: StoredObject[] = [];
      for await (const r of s.stream({ collectionId: c, versions: { kind: 'all' }, pageSize: 7 }))
        streamed.push(r);
      assert.deepEqual(streamed, await all());
      const after: StoredObject[] = [];
      const from = streamed[9]!.dateAddedUs;
      for await (const r of s.stream({
        collectionId: c,
        types: ['malware'],
        addedAfterUs: from,
        pageSize: 2,
      }))
        after.push(r);
      assert.deepEqual(
        after,
        await s.query({ collectionId: c, limit: 100, types: ['malware'], addedAfterUs: from }),
      );
    });

    it('counts versions and objects', async () => {
      assert.deepEqual(await s.count(c), { versions: 40, objects: 30 });
      assert.deepEqual(await s.count(await newCollection()), { versions: 0, objects: 0 });
    });
  });

  describe('stream and scale', () => {
    it('streams a few thousand rows, each exactly once and in order', async () => {
      const c = await newCollection();
      const n = 3000;
      const batch = Array.from({ length: n }, (_, i) =>
        stixVersion(sdoId(i % 2 ? 'indicator' : 'note'), T(i)),
      );
      await s.ingest(c, batch.slice(0, 1200));
      await s.ingest(c, batch.slice(1200));
      const got: StoredObject[] = [];
      for await (const r of s.stream({ collectionId: c, pageSize: 250 })) got.push(r);
      assert.equal(got.length, n);
      assert.deepEqual(new Set(got.map((r) => r.id)).size, n);
      assert.deepEqual(
        got.map((r) => r.id),
        batch.map((o) => o.head.id),
      );
      assertStrictlyIncreasing(got);
      let notes = 0;
      for await (const r of s.stream({ collectionId: c, types: ['note'], pageSize: 333 })) {
        assert.equal(r.type, 'note');
        notes++;
      }
      assert.equal(notes, n / 2);
      assert.deepEqual(await s.count(c), { versions: n, objects: n });
    });
  });
}
