/** StixStore contract: concurrent ingests into one collection from two handles (two processes). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import type { IngestOutcome, ObjectToStore, StixStore } from '../stix-store.js';
import { assertStrictlyIncreasing, type ContractContext, sdoId, stixVersion, T } from './fixtures.js';

export function concurrencyCases(ctx: ContractContext): void {
  let s: StixStore;
  const newCollection = ctx.newCollection;
  const open = ctx.open;
  before(() => {
    s = ctx.store();
  });

  describe('concurrency', () => {
    it('keeps date_added strictly increasing and unique across concurrent ingests from two handles', async () => {
      const clock = new ManualClock(Date.parse('2032-01-01T00:00:00.000Z'));
      const [a, b] = [await open({ clock }), await open({ clock })];
      try {
        const c = await newCollection(a.store);
        const shared = sdoId('indicator');
        const batches = (who: string) =>
          Array.from({ length: 8 }, (_, k) =>
            Array.from({ length: 60 }, (_, i) =>
              stixVersion(sdoId('indicator'), T(i), { name: `${who}${k}` }),
            ).concat(stixVersion(shared, T(k))),
          );
        const run = async (store: StixStore, list: ObjectToStore[][]) => {
          const out: IngestOutcome[] = [];
          for (const batch of list) out.push(...(await store.ingest(c, batch)));
          return out;
        };
        const [ra, rb] = await Promise.all([run(a.store, batches('a')), run(b.store, batches('b'))]);
        const storedAdded = [...ra, ...rb]
          .filter((o) => o.status === 'stored')
          .map((o) => (o as { dateAdded: string }).dateAdded);
        assert.equal(new Set(storedAdded).size, storedAdded.length, 'date_added values are unique');
        const rows = await s.query({ collectionId: c, limit: 10_000, versions: { kind: 'all' } });
        assert.equal(rows.length, 2 * 8 * 60 + 8);
        assertStrictlyIncreasing(rows);
        const sharedRows = await s.versions(c, shared);
        assert.deepEqual(
          sharedRows.filter((r) => r.latest).map((r) => r.version),
          [T(7)],
        );
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
