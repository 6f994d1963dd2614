/**
 * Batches in flight: with small batches and two in flight per feed, a batch that fails while the
 * one after it is delivered must not move the cursor past it; once it goes through, everything
 * arrives and the cursor ends at the last object. The sender is a script at the outbox's seam (no
 * peer): an answer stands for the peer's receipt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { BACKENDS } from '../../test/support/backends.js';
import { ManualClock } from '../core/index.js';
import { ingest } from '../intel/index.js';
import { Outbox, type SendOutcome } from '../outbox/index.js';
import { defaultValidator } from '../stix/index.js';
import { createStixStore, type Database, openDatabase } from '../store/index.js';
import { readCursors } from './cursors.js';
import { createExchange } from './exchange.js';
import { agreementOf, indicator } from './policy/test-fixtures.js';
import type { BatchPayload } from './types.js';

const ids = (p: BatchPayload) =>
  (
    JSON.parse(inflateRawSync(Buffer.from(p.data, 'base64')).toString('utf8')) as { object: { id: string } }[]
  ).map((e) => e.object.id);

for (const backend of BACKENDS) {
  describe(`pipelined batches on ${backend.name}`, () => {
    let database: Database;
    let drop: () => Promise<void>;
    before(async () => {
      const f = await backend.fresh();
      drop = f.drop;
      database = await openDatabase(f.url);
      await database.migrate();
    });
    after(async () => {
      await database.close();
      await drop();
    });

    test('a failed batch holds the cursor back even when the next one is delivered', async () => {
      const clock = new ManualClock(Date.parse('2026-01-01T00:00:00.000Z'));
      const store = createStixStore(database, { clock });
      await store.createCollection({ alias: 'local', title: 'local' });
      const objects = Array.from({ length: 50 }, () => GREEN(indicator()));
      const s = await ingest(
        { database, validator: defaultValidator() },
        (async function* () {
          yield JSON.stringify({
            type: 'bundle',
            id: 'bundle--00000000-0000-4000-8000-000000000009',
            objects,
          });
        })(),
        { collection: 'local', worker: 'never' },
      );
      assert.equal(s.stored, 50);
      const doc = agreementOf(['node-a', 'node-b'], null);
      const sent: { after: string; upTo: string; ids: string[] }[] = [];
      let failNext = 3;
      const outbox = new Outbox({ database, clock, random: () => 0 }).useSender({
        async send(item): Promise<SendOutcome> {
          const p = item.payload as BatchPayload;
          // The third batch fails once; the fourth is already on its way.
          if (--failNext === 0) return { ok: false, retry: true, code: 'peer.unreachable', message: 'down' };
          sent.push({ after: p.after, upTo: p.upTo, ids: ids(p) });
          return { ok: true, envelopeId: `env-${sent.length}`, envelopeHash: 'ab'.repeat(32), answer: {} };
        },
      });
      const ex = createExchange({
        database,
        self: 'node-a',
        outbox,
        agreements: { inForceNow: async () => [{ id: 'agr-1', doc }] },
        transport: { ask: async () => ({ pending: false }) },
        clock,
        maxObjects: 10,
        pipelineDepth: 2,
      });
      const first = await ex.sync();
      assert.equal(first.retrying, 1);
      const key = { peer: 'node-b', agreement: 'agr-1' };
      const coll = (await store.getCollection('local'))!;
      const cursor = async () => (await readCursors(database.db, 'out', key)).get(coll.id) ?? 0;
      // Batches 1 and 2 acknowledged in order; 4 delivered behind the failed 3 moves nothing.
      assert.equal(sent.length, 3);
      assert.equal(String(await cursor()), sent[1]!.upTo, 'the cursor stops where the failed batch starts');
      assert.ok(Number(sent[2]!.after) > (await cursor()), 'the batch after it was sent all the same');
      clock.advance(120_000);
      await outbox.pass();
      await ex.sync();
      const got = new Set(sent.flatMap((b) => b.ids));
      assert.equal(got.size, 50, 'every object went, at least once');
      const all = await store.query({ collectionId: coll.id, versions: { kind: 'all' }, limit: 100 });
      assert.equal(await cursor(), Number(all[all.length - 1]!.dateAddedUs));
      assert.equal((await ex.sync()).queued, 0, 'nothing left');
    });
  });
}

const GREEN = (o: Record<string, unknown>) => ({
  ...o,
  object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
});
