import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeValue, firstInvalidUtf8 } from './decode.js';
import { locateJsonError } from './locate-json-error.js';

const fatal = new TextDecoder('utf-8', { fatal: true });
const isValidUtf8 = (b: Uint8Array): boolean => {
  try {
    fatal.decode(b);
    return true;
  } catch {
    return false;
  }
};
const parses = (s: string): boolean => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

test('firstInvalidUtf8 agrees with the fatal decoder and points at a byte the decoder refuses', () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }).map((s) => new Uint8Array(Buffer.from(s))),
  );
  fc.assert(
    fc.property(bytes, fc.uint8Array({ maxLength: 3 }), (good, noise) => {
      const b = new Uint8Array([...good, ...noise]);
      const at = firstInvalidUtf8(b);
      assert.equal(at === b.length, isValidUtf8(b));
      if (at < b.length) {
        assert.ok(isValidUtf8(b.subarray(0, at)), 'the prefix before the fault is valid');
        assert.ok(!isValidUtf8(b.subarray(at, at + 4)) || at + 4 < b.length, 'the fault is where it says');
      }
    }),
    { numRuns: 2000 },
  );
});

test('locateJsonError says -1 exactly when JSON.parse accepts the text', () => {
  const mutated = fc
    .tuple(
      fc.json({ maxDepth: 3 }),
      fc.nat(),
      fc.constantFrom('', '}', ']', '"', '\\', ',', ':', 'x', '1', ' ', '\n'),
    )
    .map(([s, at, c]) => {
      const k = at % (s.length + 1);
      return s.slice(0, k) + c + s.slice(k + (c === '' ? 1 : 0));
    });
  fc.assert(
    fc.property(fc.oneof(fc.json({ maxDepth: 3 }), mutated), (s) => {
      const at = locateJsonError(s);
      assert.equal(at === -1, parses(s), `${JSON.stringify(s)} -> ${at}`);
      if (at >= 0) assert.ok(at <= s.length);
    }),
    { numRuns: 3000 },
  );
  assert.equal(locateJsonError('{"a":tru}'), 8);
  assert.equal(locateJsonError('{"a":1,}'), 7);
  assert.equal(locateJsonError('[1,2'), 4);
});

test('decodeValue reports byte offsets, counting multi-byte characters', () => {
  assert.deepEqual(decodeValue(Buffer.from('{"é":1}'), 100, 3), { raw: '{"é":1}', value: { é: 1 } });
  assert.throws(
    () => decodeValue(Buffer.from('{"é":1,}'), 100, 3),
    (e: unknown) =>
      (e as { code: string }).code === 'input.syntax' &&
      (e as { details: { offset: number } }).details.offset === 108 &&
      /element 3, at byte 108/.test((e as Error).message),
  );
});
