import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type Block, PrefixIndex } from '../../src/match/index.js';

/**
 * Model test of the CIDR index (PrefixIndex over BlockTrie) against a plain array of (block, value):
 * random adds, removes and queries, IPv4 and IPv6, with blocks drawn from a small space so that they
 * nest, repeat and share root entries, and prefix lengths weighted to the edges of the structure
 * (/0, /1, around /16, the last bits).
 */

type Item = { i: number };

/** Whether stored block `b` contains `q` (same family, as long or shorter, same first bits). */
function contains(b: Block, q: Block): boolean {
  if (b.family !== q.family || b.prefix > q.prefix) return false;
  for (let i = 0; i < b.prefix; i++) {
    const bit = (w: readonly number[]) => (w[i >>> 5]! >>> (31 - (i & 31))) & 1;
    if (bit(b.words) !== bit(q.words)) return false;
  }
  return true;
}

const V4_PREFIXES = [0, 1, 2, 7, 8, 15, 16, 17, 18, 23, 24, 31, 32];
const V6_PREFIXES = [0, 1, 15, 16, 17, 32, 33, 63, 64, 96, 112, 127, 128];

/**
 * A block from a small space: a word with a few random bits over one of a few bases (host bits past
 * the length left as drawn: they do not count), and a length from the list or any.
 */
const blockArb = fc
  .record({
    v6: fc.boolean(),
    base: fc.nat(3),
    flips: fc.array(fc.nat(127), { maxLength: 3 }),
    listed: fc.boolean(),
    pick: fc.nat(12),
    any: fc.nat(128),
  })
  .map(({ v6, base, flips, listed, pick, any }): Block => {
    const bases = [0x0a000000, 0x0a010000, 0x0b000000, 0xf0000000];
    const words = v6 ? [bases[base]! | 0x20000000, 0x0db80000, 0, base] : [bases[base]!];
    for (const f of flips) {
      const bit = f % (32 * words.length);
      words[bit >>> 5] = (words[bit >>> 5]! ^ (1 << (31 - (bit & 31)))) >>> 0;
    }
    for (let k = 0; k < words.length; k++) words[k] = words[k]! >>> 0;
    const prefix = listed ? (v6 ? V6_PREFIXES : V4_PREFIXES)[pick]! : any % (v6 ? 129 : 33);
    return { family: v6 ? 6 : 4, addr: words.join(':'), words, prefix };
  });

type Op = { kind: 'add' | 'remove' | 'query'; block: Block; item: number };

const opArb = fc.record({
  kind: fc.constantFrom<Op['kind'][]>('add', 'add', 'remove', 'query'),
  block: blockArb,
  item: fc.nat(3),
});

function agree(ops: Op[]): void {
  const items: Item[] = Array.from({ length: 4 }, (_, i) => ({ i }));
  const idx = new PrefixIndex<Item>();
  let model: { block: Block; item: Item }[] = [];
  const same = (a: Block, b: Block) => contains(a, b) && a.prefix === b.prefix;
  const check = (q: Block) => {
    const got: number[] = [];
    idx.containing(q, (v) => got.push(v.i));
    const want = model.filter((m) => contains(m.block, q)).map((m) => m.item.i);
    assert.deepEqual(got.sort(), want.sort(), `containing ${q.family} ${q.addr}/${q.prefix}`);
  };
  for (const op of ops) {
    const item = items[op.item]!;
    const held = model.some((m) => m.item === item && same(m.block, op.block));
    if (op.kind === 'add') {
      if (held) continue; // callers add a value once per block
      idx.add(op.block, item);
      model.push({ block: op.block, item });
    } else if (op.kind === 'remove') {
      idx.remove(op.block, item);
      model = model.filter((m) => !(m.item === item && same(m.block, op.block)));
    } else check(op.block);
    assert.equal(idx.size, model.length);
  }
  // Every stored block, as an address inside it and as itself, and a query one bit longer.
  for (const m of model) {
    check(m.block);
    check({ ...m.block, prefix: m.block.family === 4 ? 32 : 128 });
    if (m.block.prefix > 0) check({ ...m.block, prefix: m.block.prefix - 1 });
  }
}

describe('BlockTrie (through PrefixIndex)', () => {
  it('agrees with an array of blocks under random adds, removes and queries', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 50, maxLength: 400 }), (ops) => agree(ops)),
      { numRuns: 300 },
    );
  });

  it('relinks the blocks inside a short block when it comes and goes', () => {
    const b = (w: number, prefix: number): Block => ({ family: 4, addr: w, words: [w >>> 0], prefix });
    const [x, y, z, s] = [{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }];
    const idx = new PrefixIndex<Item>();
    idx.add(b(0x0a000000, 8), x);
    idx.add(b(0x0a010000, 16), y);
    idx.add(b(0x0a010200, 24), z);
    // A /12 between the /8 and the /16: the /16's link moves to it, then back when it goes.
    idx.add(b(0x0a000000, 12), s);
    const got = (w: number) => {
      const out: number[] = [];
      idx.containing(b(w, 32), (v) => out.push(v.i));
      return out.sort();
    };
    assert.deepEqual(got(0x0a010203), [1, 2, 3, 4]);
    assert.deepEqual(got(0x0a200000), [1]);
    idx.remove(b(0x0a000000, 12), s);
    assert.deepEqual(got(0x0a010203), [1, 2, 3]);
    idx.remove(b(0x0a000000, 8), x);
    assert.deepEqual(got(0x0a010203), [2, 3]);
    assert.deepEqual(got(0x0a020000), []);
  });
});
