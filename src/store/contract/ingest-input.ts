/** StixStore contract: ingestInput, one input in batches in one transaction. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { InputObject, StixStore } from '../stix-store.js';
import { assertStrictlyIncreasing, type ContractContext, sdoId, stixVersion, stored, T } from './fixtures.js';

export function ingestInputCases(ctx: ContractContext): void {
  let s: StixStore;
  before(() => {
    s = ctx.store();
  });
  const first = (id: string, n: number): InputObject => ({ ...stixVersion(id, T(n)), firstOfId: true });
  const again = (id: string, n: number): InputObject => ({ ...stixVersion(id, T(n)), firstOfId: false });

  describe('ingestInput', () => {
    it('writes every batch in one transaction, in date_added order, and keeps the high-water mark', async () => {
      const c = await ctx.newCollection();
      const ids = Array.from({ length: 6 }, () => sdoId('indicator'));
      const out = await s.ingestInput(c, async (w) => [
        ...(await w.write(ids.slice(0, 3).map((id) => first(id, 1)))),
        ...(await w.write(ids.slice(3).map((id) => first(id, 1)))),
      ]);
      assert.equal(out.filter((o) => o.status === 'stored').length, 6);
      const [later] = await s.ingest(c, [stixVersion(sdoId('indicator'), T(1))]);
      stored(later!);
      assertStrictlyIncreasing(await s.query({ collectionId: c, limit: 10 }));
    });

    it('writes nothing when the function throws', async () => {
      const c = await ctx.newCollection();
      await assert.rejects(
        s.ingestInput(c, async (w) => {
          await w.write([first(sdoId('indicator'), 1)]);
          throw new Error('input broke off');
        }),
        /input broke off/,
      );
      assert.deepEqual(await s.count(c), { versions: 0, objects: 0 });
    });

    it('tracks versions across batches of one input (a repeated id is looked up)', async () => {
      const c = await ctx.newCollection();
      const id = sdoId('malware');
      const out = await s.ingestInput(c, async (w) => [
        ...(await w.write([first(id, 2)])),
        ...(await w.write([again(id, 3), again(id, 1), again(id, 2)])),
      ]);
      assert.deepEqual(
        out.map((o) => o.status),
        ['stored', 'stored', 'stored', 'present'],
      );
      const rows = await s.versions(c, id);
      assert.deepEqual(
        rows.filter((r) => r.latest).map((r) => r.version),
        [T(3)],
      );
      const firsts = await s.query({ collectionId: c, limit: 9, ids: [id], versions: { kind: 'first' } });
      assert.deepEqual(
        firsts.map((r) => r.version),
        [T(1)],
      );
    });

    it('looks up even a first-of-input id when the collection already held objects', async () => {
      const c = await ctx.newCollection();
      const id = sdoId('malware');
      stored((await s.ingest(c, [stixVersion(id, T(5))]))[0]!);
      const out = await s.ingestInput(c, async (w) => w.write([first(id, 5), first(id, 6)]));
      assert.equal(out[0]?.status, 'present');
      assert.equal(out[1]?.status, 'stored');
      const rows = await s.versions(c, id);
      assert.deepEqual(
        rows.filter((r) => r.latest).map((r) => r.version),
        [T(6)],
      );
    });

    it('throws store.no_collection for an unknown collection', async () => {
      await assert.rejects(
        s.ingestInput('00000000-0000-4000-8000-00000000dead', async () => 0),
        (e: { code?: string }) => e.code === 'store.no_collection',
      );
    });
  });
}
