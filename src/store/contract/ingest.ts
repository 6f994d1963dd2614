/** StixStore contract: ingest rules (idempotence, date_added order, versions, revocation, markings, atomic). */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../core/clock.js';
import type { ObjectToStore, StixStore } from '../stix-store.js';
import { formatDateAdded, parseDateAddedUs } from '../stix-time.js';
import {
  assertStrictlyIncreasing,
  type ContractContext,
  DATE_ADDED,
  sdoId,
  stixVersion,
  stored,
  T,
} from './fixtures.js';

export function ingestCases(ctx: ContractContext): void {
  let s: StixStore;
  const newCollection = ctx.newCollection;
  const open = ctx.open;
  before(() => {
    s = ctx.store();
  });

  describe('ingest', () => {
    it('returns the stored JSON byte for byte, with a microsecond date_added', async () => {
      const c = await newCollection();
      const id = sdoId('indicator');
      const json = `{ "type":"indicator", "id":"${id}",  "name":"caf\\u00e9 \u00e9\u{1F600}", "n": 1.50 }`;
      const head = { id, type: 'indicator', spec_version: '2.1', created: T(0), modified: T(0) };
      const [o] = await s.ingest(c, [{ head, json }]);
      const dateAdded = stored(o!);
      assert.match(dateAdded, DATE_ADDED);
      const [row] = await s.query({ collectionId: c, limit: 10 });
      assert.equal(row!.json, json);
      assert.equal(row!.dateAdded, dateAdded);
      assert.equal(formatDateAdded(row!.dateAddedUs), dateAdded);
      assert.equal(parseDateAddedUs(dateAdded), row!.dateAddedUs);
      assert.deepEqual(
        { ...row, json: undefined, dateAdded: undefined, dateAddedUs: undefined },
        {
          id,
          type: 'indicator',
          version: T(0),
          specVersion: '2.1',
          revoked: false,
          latest: true,
          json: undefined,
          dateAdded: undefined,
          dateAddedUs: undefined,
        },
      );
    });

    it('is idempotent: the same version again is present, with its original date_added', async () => {
      const c = await newCollection();
      const a = stixVersion(sdoId('malware'), T(1), { name: 'a', is_family: false });
      const b = stixVersion(sdoId('malware'), T(1), { name: 'b', is_family: false });
      const [first] = await s.ingest(c, [a]);
      const again = await s.ingest(c, [a, b, b]);
      assert.deepEqual(again[0], { ...first, status: 'present' });
      const bAdded = stored(again[1]!);
      assert.deepEqual(again[2], { id: b.head.id, version: T(1), status: 'present', dateAdded: bAdded });
      // Same (id, version) with different bytes is still the same version: present, first bytes kept.
      const changed = { head: a.head, json: a.json.replace('"a"', '"changed"') };
      assert.equal((await s.ingest(c, [changed]))[0]!.status, 'present');
      assert.equal((await s.versions(c, a.head.id))[0]!.json, a.json);
      assert.deepEqual(await s.count(c), { versions: 2, objects: 2 });
    });

    it('treats an SCO (no created/modified) as one version', async () => {
      const c = await newCollection();
      const sco = stixVersion('ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', undefined, {
        value: '198.51.100.3',
      });
      assert.equal((await s.ingest(c, [sco]))[0]!.status, 'stored');
      assert.equal((await s.ingest(c, [sco]))[0]!.status, 'present');
      const rows = await s.query({ collectionId: c, limit: 5, versions: { kind: 'all' } });
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.version, '');
    });

    it('gives strictly increasing date_added within a batch and across batches, in one millisecond', async () => {
      const clock = new ManualClock(Date.parse('2030-01-01T00:00:00.000Z'));
      const frozen = await open({ clock });
      try {
        const c = await newCollection(frozen.store);
        const batch = Array.from({ length: 1500 }, (_, i) => stixVersion(sdoId('indicator'), T(i)));
        const first = await frozen.store.ingest(c, batch);
        const second = await frozen.store.ingest(c, [stixVersion(sdoId('indicator'), T(0))]);
        clock.advance(-60_000); // a clock stepping back must not break the order either
        const third = await frozen.store.ingest(c, [stixVersion(sdoId('indicator'), T(0))]);
        const added = [...first, ...second, ...third].map((o) => parseDateAddedUs(stored(o))!);
        assert.equal(added[0], 1_893_456_000_000_000n);
        for (let i = 1; i < added.length; i++) assert.equal(added[i], added[i - 1]! + 1n);
        clock.advance(3_600_000);
        const [later] = await frozen.store.ingest(c, [stixVersion(sdoId('indicator'), T(0))]);
        assert.equal(stored(later!), '2030-01-01T00:59:00.000000Z');
        const rows = await frozen.store.query({ collectionId: c, limit: 5000 });
        assert.equal(rows.length, 1503);
        assertStrictlyIncreasing(rows);
      } finally {
        await frozen.close();
      }
    });

    it('keeps date_added per collection: another collection starts from the clock', async () => {
      const clock = new ManualClock(Date.parse('2031-01-01T00:00:00.000Z'));
      const frozen = await open({ clock });
      try {
        const [c1, c2] = [await newCollection(frozen.store), await newCollection(frozen.store)];
        await frozen.store.ingest(c1, [stixVersion(sdoId('tool'), T(0)), stixVersion(sdoId('tool'), T(0))]);
        const [o] = await frozen.store.ingest(c2, [stixVersion(sdoId('tool'), T(0))]);
        assert.equal(stored(o!), '2031-01-01T00:00:00.000000Z');
      } finally {
        await frozen.close();
      }
    });

    it('tracks latest and first when versions arrive out of order', async () => {
      const c = await newCollection();
      const id = sdoId('campaign');
      const v = (n: number) => stixVersion(id, T(n), { name: `v${n}` });
      await s.ingest(c, [v(2)]);
      await s.ingest(c, [v(3), v(1)]);
      await s.ingest(c, [v(0)]);
      const versions = await s.versions(c, id);
      assert.deepEqual(
        versions.map((r) => [r.version, r.latest]),
        [
          [T(2), false],
          [T(3), true],
          [T(1), false],
          [T(0), false],
        ],
      );
      assertStrictlyIncreasing(versions);
      const q = (kind: 'last' | 'first' | 'all') =>
        s.query({ collectionId: c, limit: 10, versions: { kind } });
      assert.deepEqual(
        (await q('last')).map((r) => r.version),
        [T(3)],
      );
      assert.deepEqual(
        (await q('first')).map((r) => r.version),
        [T(0)],
      );
      assert.deepEqual(
        (await q('all')).map((r) => r.version),
        [T(2), T(3), T(1), T(0)],
      );
      const at = await s.query({
        collectionId: c,
        limit: 10,
        versions: { kind: 'at', versions: [T(1), T(9), T(2)] },
      });
      assert.deepEqual(
        at.map((r) => r.version),
        [T(2), T(1)],
      );
      // first, last and timestamps together select the union.
      const union = await s.query({
        collectionId: c,
        limit: 10,
        versions: { kind: 'at', versions: [T(1)], first: true, last: true },
      });
      assert.deepEqual(union.map((r) => r.version).sort(), [T(0), T(1), T(3)].sort());
      // The default is match[version]=last (TAXII 2.1 section 3.4.4).
      assert.deepEqual(
        (await s.query({ collectionId: c, limit: 10 })).map((r) => r.version),
        [T(3)],
      );
      assert.deepEqual(await s.count(c), { versions: 4, objects: 1 });
    });

    it('orders versions by instant, not by text: ...00Z equals ...00.000Z and precedes ...00.001Z', async () => {
      const c = await newCollection();
      const id = sdoId('report');
      await s.ingest(c, [
        stixVersion(id, '2025-01-01T00:00:00.001Z'),
        stixVersion(id, '2025-01-01T00:00:00Z'),
      ]);
      const [last] = await s.query({ collectionId: c, limit: 5 });
      assert.equal(last!.version, '2025-01-01T00:00:00.001Z');
    });

    it('tracks latest within one batch, and an older version arriving later is not latest', async () => {
      const c = await newCollection();
      const id = sdoId('identity');
      await s.ingest(c, [stixVersion(id, T(5)), stixVersion(id, T(7)), stixVersion(id, T(6))]);
      const rows = await s.versions(c, id);
      assert.deepEqual(
        rows.filter((r) => r.latest).map((r) => r.version),
        [T(7)],
      );
      const first = await s.query({ collectionId: c, limit: 5, versions: { kind: 'first' } });
      assert.deepEqual(
        first.map((r) => r.version),
        [T(5)],
      );
    });

    it('makes revocation final: no later version after a revoked one, earlier ones still accepted', async () => {
      const c = await newCollection();
      const id = sdoId('indicator');
      await s.ingest(c, [stixVersion(id, T(1)), stixVersion(id, T(2), { revoked: true })]);
      const [late, early] = await s.ingest(c, [stixVersion(id, T(3)), stixVersion(id, T(0))]);
      assert.equal(late!.status, 'rejected');
      assert.equal((late as { code: string }).code, 'stix.revoked_is_final');
      assert.equal(early!.status, 'stored');
      const [last] = await s.query({ collectionId: c, limit: 5 });
      assert.equal(last!.version, T(2));
      assert.equal(last!.revoked, true);
      // Within a single batch too.
      const id2 = sdoId('indicator');
      const out = await s.ingest(c, [stixVersion(id2, T(1), { revoked: true }), stixVersion(id2, T(2))]);
      assert.deepEqual(
        out.map((o) => o.status),
        ['stored', 'rejected'],
      );
    });

    it('keeps marking definitions immutable', async () => {
      const c = await newCollection();
      const id = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da';
      const md = (text: string): ObjectToStore => {
        const o = {
          type: 'marking-definition',
          spec_version: '2.1',
          id,
          created: '2017-01-20T00:00:00.000Z',
          definition_type: 'statement',
          definition: { statement: text },
        };
        return {
          head: { id, type: o.type, spec_version: '2.1', created: o.created },
          json: JSON.stringify(o),
        };
      };
      assert.equal((await s.ingest(c, [md('a')]))[0]!.status, 'stored');
      assert.equal((await s.ingest(c, [md('a')]))[0]!.status, 'present');
      const [changed] = await s.ingest(c, [md('b')]);
      assert.equal(changed!.status, 'rejected');
      assert.equal((changed as { code: string }).code, 'stix.marking_immutable');
      const out = await s.ingest(c, [
        { ...md('c'), head: { ...md('c').head, created: '2018-01-01T00:00:00.000Z' } },
      ]);
      assert.equal((out[0] as { code: string }).code, 'stix.marking_immutable');
      assert.deepEqual(await s.count(c), { versions: 1, objects: 1 });
    });

    it('with atomic, one rejection writes nothing; without, the rest is stored', async () => {
      const c = await newCollection();
      const id = sdoId('indicator');
      await s.ingest(c, [stixVersion(id, T(1), { revoked: true })]);
      const before = await s.count(c);
      const fresh = stixVersion(sdoId('indicator'), T(1));
      const dup = stixVersion(id, T(1), { revoked: true });
      const atomic = await s.ingest(c, [fresh, dup, stixVersion(id, T(2))], { atomic: true });
      assert.deepEqual(
        atomic.map((o) => o.status),
        ['rejected', 'present', 'rejected'],
      );
      assert.equal((atomic[0] as { code: string }).code, 'stix.batch_rejected');
      assert.equal((atomic[2] as { code: string }).code, 'stix.revoked_is_final');
      assert.deepEqual(await s.count(c), before);
      assert.equal((await s.query({ collectionId: c, limit: 10, ids: [fresh.head.id] })).length, 0);
      // The high-water mark did not move either: the next stored version is the first after the old ones.
      const loose = await s.ingest(c, [fresh, stixVersion(id, T(2))]);
      assert.deepEqual(
        loose.map((o) => o.status),
        ['stored', 'rejected'],
      );
      assert.deepEqual(await s.count(c), { versions: 2, objects: 2 });
      const atomicOk = await s.ingest(c, [stixVersion(sdoId('tool'), T(1))], { atomic: true });
      assert.equal(atomicOk[0]!.status, 'stored');
    });

    it('agrees with a model of the rules for random versions in random batches', async () => {
      const step = fc.record({
        obj: fc.nat(2),
        v: fc.nat(5),
        revoked: fc.nat(3).map((n) => n === 0),
        cut: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
          const c = await newCollection();
          const ids = [sdoId('indicator'), sdoId('indicator'), sdoId('indicator')];
          // The model: per id, stored versions and the revoked flag of each.
          const model = ids.map(() => new Map<number, boolean>());
          const expected: string[] = [];
          const batches: ObjectToStore[][] = [[]];
          for (const { obj, v, revoked, cut } of steps) {
            const m = model[obj]!;
            const latest = Math.max(-1, ...m.keys());
            if (m.has(v)) expected.push('present');
            else if (latest >= 0 && m.get(latest) && v > latest) expected.push('rejected');
            else {
              expected.push('stored');
              m.set(v, revoked);
            }
            batches[batches.length - 1]!.push(stixVersion(ids[obj]!, T(v), revoked ? { revoked: true } : {}));
            if (cut) batches.push([]);
          }
          const got: string[] = [];
          for (const b of batches) for (const o of await s.ingest(c, b)) got.push(o.status);
          assert.deepEqual(got, expected);
          for (const [k, id] of ids.entries()) {
            const m = model[k]!;
            const rows = await s.versions(c, id);
            assert.deepEqual(rows.map((r) => r.version).sort(), [...m.keys()].sort().map(T));
            assert.deepEqual(
              rows.filter((r) => r.latest).map((r) => r.version),
              m.size ? [T(Math.max(...m.keys()))] : [],
            );
            const first = await s.query({
              collectionId: c,
              limit: 9,
              ids: [id],
              versions: { kind: 'first' },
            });
            assert.deepEqual(
              first.map((r) => r.version),
              m.size ? [T(Math.min(...m.keys()))] : [],
            );
          }
        }),
        { numRuns: 25 },
      );
    });

    it('accepts an empty batch', async () => {
      const c = await newCollection();
      assert.deepEqual(await s.ingest(c, []), []);
    });
  });
}
