import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Block, PrefixIndex, parseBlock } from '../../src/match/index.js';

const b = (text: string): Block => {
  const block = parseBlock(text);
  assert.ok(block, text);
  return block;
};

/** The names of the stored blocks containing `text`, sorted. */
function containing(idx: PrefixIndex<{ name: string }>, text: string): string[] {
  const out: string[] = [];
  idx.containing(b(text), (v) => out.push(v.name));
  return out.sort();
}

describe('PrefixIndex', () => {
  it('finds every nested block, the whole space, and a block inside a block', () => {
    const idx = new PrefixIndex<{ name: string }>();
    for (const t of ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.3', '10.2.0.0/16', '11.0.0.0/8'])
      idx.add(b(t), { name: t });
    assert.deepEqual(containing(idx, '10.1.2.3'), ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.3']);
    assert.deepEqual(containing(idx, '10.1.2.4'), ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16']);
    assert.deepEqual(containing(idx, '10.1.0.0/16'), ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16']);
    assert.deepEqual(containing(idx, '10.0.0.0/7'), ['0.0.0.0/0']);
    assert.deepEqual(containing(idx, '12.0.0.1'), ['0.0.0.0/0']);
    // Host bits past the prefix do not count.
    assert.deepEqual(containing(idx, '10.2.255.255'), ['0.0.0.0/0', '10.0.0.0/8', '10.2.0.0/16']);
    assert.equal(idx.size, 6);
  });

  it('keeps IPv6 apart from IPv4 and reads IPv4-mapped blocks as IPv4', () => {
    const idx = new PrefixIndex<{ name: string }>();
    for (const t of [
      '2001:db8::/32',
      '2001:db8:1::/48',
      '2001:db8:1::1/128',
      '::/0',
      '::ffff:198.51.100.0/120',
    ])
      idx.add(b(t), { name: t });
    assert.deepEqual(containing(idx, '2001:db8:1::1'), [
      '2001:db8:1::/48',
      '2001:db8:1::1/128',
      '2001:db8::/32',
      '::/0',
    ]);
    assert.deepEqual(containing(idx, '2001:db8:2::1'), ['2001:db8::/32', '::/0']);
    assert.deepEqual(containing(idx, '2001:db9::1'), ['::/0']);
    assert.deepEqual(containing(idx, '198.51.100.7'), ['::ffff:198.51.100.0/120']);
    assert.deepEqual(containing(idx, '::ffff:198.51.100.7'), ['::ffff:198.51.100.0/120']);
  });

  it('removes one value of a block held by several, then the last, and takes the block again', () => {
    const idx = new PrefixIndex<{ name: string }>();
    const [x, y, z] = [{ name: 'x' }, { name: 'y' }, { name: 'z' }];
    idx.add(b('192.0.2.0/24'), x);
    idx.add(b('192.0.2.0/24'), y);
    idx.add(b('192.0.2.0/24'), z);
    idx.remove(b('192.0.2.0/24'), y);
    assert.deepEqual(containing(idx, '192.0.2.9'), ['x', 'z']);
    idx.remove(b('192.0.2.0/24'), y); // not there: nothing changes
    idx.remove(b('192.0.3.0/24'), x); // no such block
    assert.equal(idx.size, 2);
    idx.remove(b('192.0.2.0/24'), x);
    idx.remove(b('192.0.2.0/24'), z);
    assert.deepEqual(containing(idx, '192.0.2.9'), []);
    assert.equal(idx.size, 0);
    idx.add(b('192.0.2.0/24'), y);
    assert.deepEqual(containing(idx, '192.0.2.9'), ['y']);
  });

  it('grows past its first arrays', () => {
    const idx = new PrefixIndex<{ name: string }>();
    for (let i = 0; i < 5000; i++) idx.add(b(`10.${i >> 8}.${i & 255}.0/24`), { name: String(i) });
    assert.deepEqual(containing(idx, '10.19.135.77'), [String((19 << 8) | 135)]);
    assert.deepEqual(containing(idx, '10.200.0.1'), []);
  });
});
