import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ExactTable, keyHash } from '../../src/match/exact-table.js';

type Op = { add: boolean; field: number; value: number; item: number };

/** Runs `ops` on a table and on a Map model, and checks every key of the space after each step. */
function agree(ops: Op[], hashOf: (f: string, v: string) => number): void {
  const items = Array.from({ length: 6 }, (_, i) => ({ i }));
  const table = new ExactTable<{ i: number }>(hashOf);
  const model = new Map<string, { i: number }[]>();
  const fields = ['file\u0000name', 'mutex\u0000name', 'url\u0000value'];
  for (const op of ops) {
    const field = fields[op.field % fields.length]!;
    const value = `v${op.value}`;
    const k = `${field}|${value}`;
    const item = items[op.item % items.length]!;
    const list = model.get(k) ?? [];
    if (op.add) {
      if (list.includes(item)) continue; // callers add a value once per key
      const fresh = table.add(field, value, item);
      assert.equal(fresh, list.length === 0, `add ${k}: new key`);
      model.set(k, [...list, item]);
    } else {
      const gone = table.remove(field, value, item);
      const rest = list.filter((x) => x !== item);
      assert.equal(gone, list.length > 0 && rest.length === 0, `remove ${k}: key gone`);
      if (rest.length) model.set(k, rest);
      else model.delete(k);
    }
    assert.equal(table.size, model.size);
  }
  for (const field of fields)
    for (let v = 0; v < 400; v++) {
      const value = `v${v}`;
      const b = table.get(field, value, hashOf(field, value));
      const got = b === undefined ? [] : Array.isArray(b) ? b : [b];
      const want = model.get(`${field}|${value}`) ?? [];
      assert.deepEqual(got.map((x) => x.i).sort(), want.map((x) => x.i).sort(), `${field} ${value}`);
    }
}

const ops = fc.array(
  fc.record({
    add: fc.boolean(),
    field: fc.nat(2),
    value: fc.nat(399),
    item: fc.nat(5),
  }),
  { minLength: 1000, maxLength: 3000 },
);

describe('ExactTable', () => {
  it('agrees with a Map under random adds and removes (the real hash)', () => {
    fc.assert(
      fc.property(ops, (o) => agree(o, keyHash)),
      { numRuns: 60 },
    );
  });

  it('agrees with a Map when every key lands in a few slots, runs wrapping past the end', () => {
    // Odd values hash to the 16 top slots, even ones to the 24 first: one long run that wraps past
    // the end and holds keys whose home slots lie on both sides of the wrap, so backward-shift
    // deletion must both move keys and leave keys whose home is between the gap and them.
    const bad = (_f: string, v: string) => {
      const n = Number(v.slice(1));
      return n % 2 ? -1 - (n % 16) : n % 24;
    };
    fc.assert(
      fc.property(ops, (o) => agree(o, bad)),
      { numRuns: 40 },
    );
  });

  it('grows past its first capacity and keeps every key', () => {
    const t = new ExactTable<{ n: number }>();
    const xs = Array.from({ length: 5000 }, (_, n) => ({ n }));
    for (const x of xs) assert.equal(t.add('f', `k${x.n}`, x), true);
    assert.equal(t.size, 5000);
    for (const x of xs) assert.equal(t.get('f', `k${x.n}`, keyHash('f', `k${x.n}`)), x);
    assert.equal(t.get('f', 'k5000', keyHash('f', 'k5000')), undefined);
    assert.equal(t.get('g', 'k1', keyHash('g', 'k1')), undefined, 'another field, same value');
  });

  it('keeps field and value apart in the hash', () => {
    assert.notEqual(keyHash('ab', 'c'), keyHash('a', 'bc'));
  });
});
