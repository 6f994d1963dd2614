/**
 * Ingest and export end to end, on SQLite and on PostgreSQL: the reference ATT&CK bundles, version
 * history across releases, and every kind of bad input (a clear error and nothing half-written).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { exportBundle, ingest } from '../../src/intel/index.js';
import { defaultValidator } from '../../src/stix/index.js';
import { createStixStore, type Database, openDatabase, type StixStore } from '../../src/store/index.js';
import { BACKENDS } from '../support/backends.js';
import { sharedData } from '../support/shared-data.js';

const ICS_18 = sharedData('mitre-attack', 'ics-attack-18.1.json');
const ICS_17 = sharedData('mitre-attack', 'ics-attack-17.1.json');

type Obj = Record<string, unknown>;
const objectsOf = (file: string): Obj[] =>
  (JSON.parse(readFileSync(file, 'utf8')) as { objects: Obj[] }).objects;

async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

const fileStream = (file: string) => chunks(readFileSync(file));

async function exportAll(store: StixStore, collection: string, allVersions = false): Promise<Obj[]> {
  let text = '';
  await exportBundle(store, { collection, allVersions }, (c) => {
    text += c;
  });
  return (JSON.parse(text) as { objects: Obj[] }).objects;
}

const byVersion = (a: Obj, b: Obj) =>
  `${a.id}|${a.modified ?? ''}`.localeCompare(`${b.id}|${b.modified ?? ''}`);

const indicator = (n: number, extra: Obj = {}): Obj => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  pattern: "[domain-name:value = 'example.org']",
  pattern_type: 'stix',
  valid_from: '2026-01-01T00:00:00Z',
  ...extra,
});
const bundle = (objects: Obj[]) =>
  JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects });

for (const backend of BACKENDS) {
  describe(`ingest and export on ${backend.name}`, () => {
    const dbs: Array<{ database: Database; drop(): Promise<void> }> = [];
    const fresh = async () => {
      const t = await backend.fresh();
      const database = await openDatabase(t.url);
      await database.migrate();
      dbs.push({ database, drop: t.drop });
      const store = createStixStore(database);
      await store.createCollection({ alias: 'local', title: 'local' });
      return { database, store };
    };
    const run = (database: Database, source: AsyncIterable<Uint8Array>, strict = false) =>
      ingest({ database, validator: defaultValidator() }, source, { collection: 'local', strict });
    after(async () => {
      for (const d of dbs) {
        await d.database.close();
        await d.drop();
      }
    });

    let node: { database: Database; store: StixStore };
    before(async () => {
      node = await fresh();
    });

    test('ATT&CK ICS 18.1 ingests with 0 rejections; export then re-ingest gives the same objects', async () => {
      const s = await run(node.database, fileStream(ICS_18));
      assert.equal(s.rejected, 0, JSON.stringify(s.rejections.slice(0, 3)));
      assert.equal(s.stored, 1826);
      const exported = await exportAll(node.store, 'local');
      assert.equal(exported.length, 1826);
      const other = await fresh();
      const again = await run(
        other.database,
        chunks(JSON.stringify({ type: 'bundle', id: 'bundle--x', objects: exported })),
      );
      assert.equal(again.rejected, 0);
      assert.equal(again.stored, 1826);
      const original = objectsOf(ICS_18).sort(byVersion);
      const roundTrip = (await exportAll(other.store, 'local')).sort(byVersion);
      assert.equal(roundTrip.length, original.length);
      for (let i = 0; i < original.length; i++) assert.deepEqual(roundTrip[i], original[i]);
    });

    test('ingesting the same bundle again stores nothing and reports every object as present', async () => {
      const s = await run(node.database, fileStream(ICS_18));
      assert.deepEqual([s.stored, s.present, s.rejected], [0, 1826, 0]);
    });

    test('ICS 17.1 then 18.1 keeps both versions of the 77 changed objects; latest export is 18.1', async () => {
      const n = await fresh();
      assert.equal((await run(n.database, fileStream(ICS_17))).rejected, 0);
      assert.equal((await run(n.database, fileStream(ICS_18))).rejected, 0);
      const v17 = new Map(objectsOf(ICS_17).map((o) => [o.id as string, o]));
      const changed = objectsOf(ICS_18).filter((o) => {
        const old = v17.get(o.id as string);
        return old !== undefined && old.modified !== o.modified;
      });
      assert.equal(changed.length, 77);
      for (const o of changed) {
        const versions = await n.store.versions((await n.store.getCollection('local'))!.id, o.id as string);
        assert.deepEqual(
          versions.map((v) => v.version),
          [v17.get(o.id as string)!.modified, o.modified],
          `both versions of ${o.id}`,
        );
      }
      // Every changed or new object is exported as its 18.1 version. (70 objects of 18.1 repeat a
      // 17.1 version, same id and modified, with edited content: a version is (id, modified), so
      // the first copy stored stays, and those are checked against 17.1.)
      const latest = new Map((await exportAll(n.store, 'local')).map((o) => [o.id as string, o]));
      assert.equal(latest.size, new Set([...v17.keys(), ...objectsOf(ICS_18).map((o) => o.id)]).size);
      for (const o of objectsOf(ICS_18)) {
        const old = v17.get(o.id as string);
        const expected = old && old.modified === o.modified ? old : o;
        assert.deepEqual(latest.get(o.id as string), expected);
      }
    });

    describe('bad input: a clear error and nothing half-written', () => {
      const count = async (store: StixStore) =>
        (await store.count((await store.getCollection('local'))!.id)).versions;

      test('truncated JSON', async () => {
        const n = await fresh();
        const text = bundle([indicator(1), indicator(2), indicator(3)]);
        await assert.rejects(run(n.database, chunks(text.slice(0, text.length - 40))), {
          code: 'input.truncated',
        });
        assert.equal(await count(n.store), 0);
      });

      test('invalid UTF-8', async () => {
        const n = await fresh();
        const head = Buffer.from(bundle([indicator(1), indicator(2, { name: 'XX' })]));
        const at = head.indexOf('XX');
        head[at] = 0xc3;
        head[at + 1] = 0x28; // 0xC3 must be followed by a continuation byte
        await assert.rejects(run(n.database, chunks(head)), { code: 'input.invalid_utf8' });
        assert.equal(await count(n.store), 0);
      });

      test('a bundle nested in a bundle', async () => {
        const n = await fresh();
        const inner = {
          type: 'bundle',
          id: 'bundle--00000000-0000-4000-8000-000000000002',
          objects: [indicator(9)],
        };
        await assert.rejects(run(n.database, chunks(bundle([indicator(1), inner as Obj]))), {
          code: 'input.nested_bundle',
        });
        assert.equal(await count(n.store), 0);
      });

      test('an object of 50 MB is refused without reading it whole', async () => {
        const n = await fresh();
        const big = Buffer.alloc(50 * 1024 * 1024, 'a');
        const start = Buffer.from(
          `{"type":"bundle","id":"bundle--x","objects":[${JSON.stringify(indicator(1))},{"type":"note","content":"`,
        );
        await assert.rejects(run(n.database, chunks(start, big, Buffer.from('"}]}'))), {
          code: 'input.object_too_large',
        });
        assert.equal(await count(n.store), 0);
      });

      test('wrong property types: the object is rejected by rule and path, the others are stored', async () => {
        const n = await fresh();
        const s = await run(
          n.database,
          chunks(bundle([indicator(1), indicator(2, { pattern: 42 }), indicator(3)])),
        );
        assert.equal(s.stored, 2);
        assert.equal(s.rejected, 1);
        assert.deepEqual(
          { index: s.rejections[0]?.index, code: s.rejections[0]?.code, path: s.rejections[0]?.path },
          { index: 1, code: 'stix.property_type', path: '/pattern' },
        );
      });

      test('an indicator whose STIX pattern does not parse is refused with the parser message', async () => {
        const n = await fresh();
        const s = await run(
          n.database,
          chunks(bundle([indicator(1, { pattern: "[domain-name:value = 'x'" })])),
        );
        assert.equal(s.rejected, 1);
        assert.equal(s.rejections[0]?.code, 'stix.pattern_syntax');
        assert.match(s.rejections[0]?.message ?? '', /line 1:\d+/);
      });

      test('--strict writes nothing when any object is invalid', async () => {
        const n = await fresh();
        const s = await run(n.database, chunks(bundle([indicator(1), indicator(2, { pattern: 42 })])), true);
        assert.equal(s.rolledBack, true);
        assert.equal(s.rejected, 1);
        assert.equal(await count(n.store), 0);
      });

      test('the same id and version twice in one bundle: the second is refused by name', async () => {
        const n = await fresh();
        const s = await run(n.database, chunks(bundle([indicator(1), indicator(2), indicator(1)])));
        assert.equal(s.stored, 2);
        assert.equal(s.rejections[0]?.code, 'input.duplicate');
        assert.match(s.rejections[0]?.message ?? '', /appears twice in this input \(first at object 0\)/);
        const strict = await run(
          (await fresh()).database,
          chunks(bundle([indicator(1), indicator(1)])),
          true,
        );
        assert.equal(strict.rolledBack, true);
      });

      test('a later version of a revoked object is refused', async () => {
        const n = await fresh();
        const revoked = indicator(1, { modified: '2026-02-01T00:00:00.000Z', revoked: true });
        const later = indicator(1, { modified: '2026-03-01T00:00:00.000Z' });
        const s = await run(n.database, chunks(bundle([indicator(1), revoked, later])));
        assert.equal(s.stored, 2);
        assert.equal(s.rejections[0]?.code, 'stix.revoked_is_final');
      });

      test('a marking defined after the objects that use it resolves; an unknown one is refused', async () => {
        const n = await fresh();
        const marking = {
          type: 'marking-definition',
          spec_version: '2.1',
          id: 'marking-definition--00000000-0000-4000-8000-0000000000aa',
          created: '2026-01-01T00:00:00.000Z',
          definition_type: 'statement',
          definition: { statement: 'Copyright parley tests' },
        };
        const s = await run(
          n.database,
          chunks(
            bundle([
              indicator(1, { object_marking_refs: [marking.id] }),
              indicator(2, {
                object_marking_refs: ['marking-definition--00000000-0000-4000-8000-0000000000bb'],
              }),
              marking,
            ]),
          ),
        );
        assert.equal(s.stored, 2);
        assert.equal(s.rejected, 1);
        assert.equal(s.rejections[0]?.code, 'stix.marking_unresolved');
        assert.equal(s.rejections[0]?.index, 1);
      });

      for (const worker of ['never', 'always'] as const) {
        test(`an object written before its marking proves unknown is deleted again (worker: ${worker})`, async () => {
          const n = await fresh();
          const aa = 'marking-definition--00000000-0000-4000-8000-0000000000aa';
          const bb = 'marking-definition--00000000-0000-4000-8000-0000000000bb';
          const later = { modified: '2026-02-01T00:00:00.000Z' };
          const marking = {
            type: 'marking-definition',
            spec_version: '2.1',
            id: aa,
            created: '2026-01-01T00:00:00.000Z',
            definition_type: 'statement',
            definition: { statement: 'Copyright parley tests' },
          };
          const opts = { collection: 'local', batchSize: 1, worker };
          const deps = { database: n.database, validator: defaultValidator() };
          // Stored before: the same version again with an unknown marking must not delete it.
          await ingest(deps, chunks(bundle([indicator(3)])), opts);
          const s = await ingest(
            deps,
            chunks(
              bundle([
                indicator(1, { object_marking_refs: [aa] }),
                indicator(2, { object_marking_refs: [bb] }),
                indicator(2, later),
                indicator(2),
                indicator(3, { object_marking_refs: [bb] }),
                marking,
              ]),
            ),
            opts,
          );
          assert.deepEqual(
            s.rejections.map((r) => [r.index, r.code]),
            [
              [1, 'stix.marking_unresolved'],
              [4, 'stix.marking_unresolved'],
            ],
          );
          assert.deepEqual([s.stored, s.present, s.rejected], [4, 0, 2]);
          const id = (k: number) => indicator(k).id as string;
          const versions = await n.store.versions((await n.store.getCollection('local'))!.id, id(2));
          assert.deepEqual(
            versions.map((v) => [v.version, v.latest, JSON.parse(v.json).object_marking_refs]),
            [
              ['2026-02-01T00:00:00.000Z', true, undefined],
              ['2026-01-01T00:00:00.000Z', false, undefined],
            ],
          );
          const c = (await n.store.getCollection('local'))!.id;
          assert.equal((await n.store.versions(c, id(3))).length, 1);
          assert.deepEqual(await n.store.count(c), { versions: 5, objects: 4 });
        });
      }
    });
  });
}
