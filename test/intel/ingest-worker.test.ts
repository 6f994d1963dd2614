/**
 * The pipelined ingest (a worker thread reads and validates, the main thread writes): the same
 * summary as the single-threaded path, the same `input.*` errors with nothing written, and a clear
 * error (no hang, nothing written) when the worker itself fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { type IngestOptions, type IngestSummary, ingest, WORKER_MIN_BYTES } from '../../src/intel/index.js';
import { defaultValidator } from '../../src/stix/index.js';
import { createStixStore, type Database, openDatabase } from '../../src/store/index.js';

type Obj = Record<string, unknown>;
const dir = mkdtempSync(path.join(tmpdir(), 'parley-ingest-worker-'));
const dbs: Database[] = [];
after(async () => {
  for (const d of dbs) await d.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function fresh() {
  const database = await openDatabase(`sqlite:${path.join(dir, `t${n++}.db`)}`);
  await database.migrate();
  dbs.push(database);
  const store = createStixStore(database);
  const c = await store.createCollection({ alias: 'local', title: 'local' });
  const count = async () => (await store.count(c.id)).versions;
  return { database, store, count };
}

async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

const run = (database: Database, source: AsyncIterable<Uint8Array>, opts: Partial<IngestOptions> = {}) =>
  ingest({ database, validator: defaultValidator() }, source, { collection: 'local', ...opts });

const MARKING = 'marking-definition--00000000-0000-4000-8000-0000000000aa';
const indicator = (i: number, extra: Obj = {}): Obj => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern: `[ipv4-addr:value = '10.0.${(i >> 8) & 255}.${i & 255}']`,
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
  ...extra,
});
const marking = (id = MARKING): Obj => ({
  type: 'marking-definition',
  spec_version: '2.1',
  id,
  created: '2026-01-01T00:00:00.000Z',
  definition_type: 'statement',
  definition: { statement: 'Copyright parley tests' },
});
const bundle = (objects: Obj[]) =>
  JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects });

/** Every case the preparer decides, spread over several batches. */
function mixed(count: number): Obj[] {
  const out: Obj[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 97 === 5) out.push(indicator(i, { pattern: 42 }));
    else if (i % 89 === 7) out.push(indicator(i, { pattern: "[ipv4-addr:value = '1.2.3.4'" }));
    else if (i % 83 === 9) out.push(indicator(i - 1));
    else if (i % 13 === 0) out.push(indicator(i, { object_marking_refs: [MARKING] }));
    else if (i % 101 === 11)
      out.push(
        indicator(i, { object_marking_refs: ['marking-definition--00000000-0000-4000-8000-0000000000bb'] }),
      );
    else if (i % 71 === 3) {
      // STIX 2.0 (no spec_version), upgraded on the way in.
      const { spec_version: _, ...v20 } = indicator(i);
      out.push({ ...v20, labels: ['malicious-activity'] });
    } else out.push(indicator(i));
  }
  out.push(marking());
  return out;
}

const comparable = (s: IngestSummary) => ({ ...s, collectionId: '' });

describe('pipelined ingest (worker thread)', () => {
  test('same summary and stored rows as the single-threaded path, over many small batches', async () => {
    const text = bundle(mixed(2500));
    const results: IngestSummary[] = [];
    const exports: string[][] = [];
    for (const worker of ['never', 'always'] as const) {
      const t = await fresh();
      const progress: number[] = [];
      const s = await run(t.database, chunks(text.slice(0, 70_000), text.slice(70_000)), {
        worker,
        batchSize: 50,
        onProgress: (read) => progress.push(read),
      });
      assert.equal(progress.at(-1), 2501, 'progress ends at the number read');
      results.push(s);
      const rows: string[] = [];
      for await (const o of t.store.stream({ collectionId: s.collectionId })) rows.push(o.json);
      exports.push(rows);
    }
    const [single, piped] = results as [IngestSummary, IngestSummary];
    assert.ok(single.rejected > 60 && single.upgraded > 30 && single.stored > 2000, JSON.stringify(single));
    assert.deepEqual(comparable(piped), comparable(single));
    assert.deepEqual(exports[1], exports[0]);
  });

  test('a marking already in the collection resolves in the worker', async () => {
    const t = await fresh();
    await run(t.database, chunks(bundle([marking()])), { worker: 'never' });
    const s = await run(t.database, chunks(bundle([indicator(1, { object_marking_refs: [MARKING] })])), {
      worker: 'always',
    });
    assert.deepEqual([s.stored, s.rejected], [1, 0]);
  });

  test('--strict rolls back everything', async () => {
    const t = await fresh();
    const s = await run(t.database, chunks(bundle(mixed(300))), { worker: 'always', strict: true });
    assert.equal(s.rolledBack, true);
    assert.equal(await t.count(), 0);
  });

  describe('bad input: the same input.* errors, nothing written', () => {
    const good = bundle(Array.from({ length: 200 }, (_, i) => indicator(i)));
    const cases: Array<[string, () => AsyncIterable<Uint8Array>]> = [
      ['input.truncated', () => chunks(good.slice(0, 20_000), good.slice(20_000, good.length - 40))],
      [
        'input.invalid_utf8',
        () => {
          const b = Buffer.from(good);
          const at = b.indexOf('10.0.', 30_000); // inside a pattern string
          b[at] = 0xc3;
          b[at + 1] = 0x28; // 0xC3 must be followed by a continuation byte
          return chunks(b.subarray(0, 25_000), b.subarray(25_000));
        },
      ],
      [
        'input.nested_bundle',
        () =>
          chunks(
            bundle([
              ...Array.from({ length: 150 }, (_, i) => indicator(i)),
              JSON.parse(bundle([indicator(999)])) as Obj,
            ]),
          ),
      ],
      [
        'input.object_too_large',
        () =>
          chunks(
            `{"type":"bundle","id":"bundle--x","objects":[${JSON.stringify(indicator(1))},{"type":"note","content":"`,
            Buffer.alloc(3 * 1024 * 1024, 'a'),
            '"}]}',
          ),
      ],
    ];
    for (const [code, source] of cases) {
      test(code, async () => {
        const t = await fresh();
        await assert.rejects(
          run(t.database, source(), { worker: 'always', batchSize: 20, maxObjectBytes: 1 << 20 }),
          {
            code,
          },
        );
        assert.equal(await t.count(), 0);
      });
    }

    test('the source failing mid-stream is input.read_failed', async () => {
      const t = await fresh();
      async function* broken(): AsyncIterable<Uint8Array> {
        yield Buffer.from(good.slice(0, 30_000));
        throw new Error('connection reset');
      }
      await assert.rejects(run(t.database, broken(), { worker: 'always', batchSize: 20 }), (e: Error) => {
        assert.equal((e as { code?: string }).code, 'input.read_failed');
        assert.match(e.message, /connection reset/);
        return true;
      });
      assert.equal(await t.count(), 0);
    });
  });

  describe('the worker failing: a clear error, nothing written, no hang', () => {
    const text = bundle(Array.from({ length: 400 }, (_, i) => indicator(i)));
    for (const fault of ['exit', 'throw'] as const) {
      test(`worker ${fault}`, async () => {
        const t = await fresh();
        await assert.rejects(
          run(t.database, chunks(text), { worker: 'always', batchSize: 50, workerFault: fault }),
          (e: Error) => {
            assert.equal((e as { code?: string }).code, 'intel.worker_failed');
            assert.match(e.message, /ingest worker failed.*nothing of this input was written/);
            return true;
          },
        );
        assert.equal(await t.count(), 0);
      });
    }

    test('auto: a small input stays on this thread, a large one goes to the worker', async () => {
      const t = await fresh();
      const small = await run(t.database, chunks(text), { batchSize: 50, workerFault: 'exit' });
      assert.equal(small.stored, 400);
      const many: Obj[] = [];
      let size = 0;
      for (let i = 1000; size < WORKER_MIN_BYTES * 1.2; i++) {
        many.push(indicator(i));
        size += JSON.stringify(indicator(i)).length;
      }
      await assert.rejects(run(t.database, chunks(bundle(many)), { batchSize: 50, workerFault: 'exit' }), {
        code: 'intel.worker_failed',
      });
      assert.equal(await t.count(), 400);
    });
  });
});
