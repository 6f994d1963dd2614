import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromB64u, i2osp, toB64u } from './bytes.js';

test('fromB64u is the exact inverse of toB64u', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
      assert.deepEqual(fromB64u(toB64u(b)), b);
    }),
  );
});

test('fromB64u accepts only the canonical text of its bytes', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'AQgw_-=+/ .'.split('')), maxLength: 12 }), (s) => {
      const b = fromB64u(s);
      if (b !== undefined) assert.equal(toB64u(b), s);
    }),
    { numRuns: 2000 },
  );
  assert.equal(fromB64u('AB'), undefined); // 'B' sets an unused bit
  assert.deepEqual(fromB64u('AA'), Uint8Array.of(0));
  assert.equal(fromB64u('AA=='), undefined);
  assert.equal(fromB64u('A+/A'), undefined);
  assert.equal(fromB64u('AAAA', 2), undefined);
});

test('i2osp is big-endian and fixed-width', () => {
  assert.deepEqual(i2osp(256, 2), Uint8Array.of(1, 0));
  assert.deepEqual(i2osp(0x20, 2), Uint8Array.of(0, 0x20));
  assert.deepEqual(i2osp(1, 12).at(-1), 1);
});
