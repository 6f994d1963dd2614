/** StixStore contract: collections, and deleting objects. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { StixStore } from '../stix-store.js';
import { type ContractContext, sdoId, stixVersion, T, uid } from './fixtures.js';

export function collectionCases(ctx: ContractContext): void {
  let s: StixStore;
  const newCollection = ctx.newCollection;
  before(() => {
    s = ctx.store();
  });

  describe('collections', () => {
    it('creates, finds by id or alias, lists, and refuses a duplicate alias or id', async () => {
      const alias = `feeds-${uid()}`;
      const c = await s.createCollection({ alias, title: 'Feeds', description: 'd' });
      assert.match(c.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(c.mediaTypes, ['application/stix+json;version=2.1']);
      assert.deepEqual(await s.getCollection(c.id), c);
      assert.deepEqual(await s.getCollection(alias), c);
      assert.equal(await s.getCollection('no-such-collection'), undefined);
      const fixed = await s.createCollection({
        id: '91a7b528-80eb-42ed-a74d-c6fbd5a26116',
        alias: `x-${uid()}`,
        title: 'X',
      });
      assert.equal(fixed.id, '91a7b528-80eb-42ed-a74d-c6fbd5a26116');
      assert.equal(fixed.description, undefined);
      const all = await s.listCollections();
      assert.ok(all.some((x) => x.id === c.id) && all.some((x) => x.id === fixed.id));
      await assert.rejects(s.createCollection({ alias, title: 'again' }), {
        code: 'store.collection_exists',
      });
      await assert.rejects(s.createCollection({ id: fixed.id, alias: `y-${uid()}`, title: 'again' }), {
        code: 'store.collection_exists',
      });
    });

    it('lets exactly one of two concurrent creates with one alias win', async () => {
      const alias = `race-${uid()}`;
      const results = await Promise.allSettled([
        s.createCollection({ alias, title: 'a' }),
        s.createCollection({ alias, title: 'b' }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal((lost.reason as { code: string }).code, 'store.collection_exists');
    });

    it('refuses to ingest into or count an unknown collection', async () => {
      await assert.rejects(
        s.ingest('00000000-0000-4000-8000-000000000000', [stixVersion(sdoId('note'), T(0))]),
        {
          code: 'store.no_collection',
        },
      );
    });
  });

  describe('deleteObject', () => {
    it('deletes all versions, or the last, first or named ones, and moves the flags', async () => {
      const c = await newCollection();
      const id = sdoId('indicator');
      const other = stixVersion(sdoId('indicator'), T(1));
      await s.ingest(c, [0, 1, 2, 3, 4].map((n) => stixVersion(id, T(n))).concat(other));
      assert.equal(await s.deleteObject(c, id, { kind: 'last' }), 1);
      let rows = await s.versions(c, id);
      assert.deepEqual(
        rows.map((r) => r.version),
        [T(0), T(1), T(2), T(3)],
      );
      assert.deepEqual(
        rows.filter((r) => r.latest).map((r) => r.version),
        [T(3)],
      );
      assert.equal(await s.deleteObject(c, id, { kind: 'first' }), 1);
      const first = await s.query({ collectionId: c, limit: 5, ids: [id], versions: { kind: 'first' } });
      assert.deepEqual(
        first.map((r) => r.version),
        [T(1)],
      );
      assert.equal(await s.deleteObject(c, id, { kind: 'at', versions: [T(2), T(9)] }), 1);
      rows = await s.versions(c, id);
      assert.deepEqual(
        rows.map((r) => r.version),
        [T(1), T(3)],
      );
      assert.equal(await s.deleteObject(c, id), 2);
      assert.deepEqual(await s.versions(c, id), []);
      assert.equal(await s.deleteObject(c, id), 0);
      assert.deepEqual(await s.count(c), { versions: 1, objects: 1 });
      // A deleted version may come back, with a new date_added.
      const [back] = await s.ingest(c, [stixVersion(id, T(4))]);
      assert.equal(back!.status, 'stored');
    });
  });
}
