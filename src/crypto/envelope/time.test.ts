/** parseEnvelopeTime against the definition it replaces: the pattern, Date.parse, and a toISOString round trip. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseEnvelopeTime } from './time.js';

const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
function oracle(s: string): number | undefined {
  if (!TIME_RE.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) || new Date(t).toISOString() !== s ? undefined : t;
}

const MIN = Date.parse('0000-01-01T00:00:00.000Z');
const MAX = Date.parse('9999-12-31T23:59:59.999Z');

test('every instant of years 0000-9999 reads back from its toISOString text', () => {
  fc.assert(
    fc.property(fc.integer({ min: MIN, max: MAX }), (t) => {
      assert.equal(parseEnvelopeTime(new Date(t).toISOString()), t);
    }),
    { numRuns: 20_000 },
  );
});

test('texts with fields out of range or in another form are refused, as by the round trip', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  // Every field from 0 to 99 (60 to 99 for seconds), at the edges of months and of leap years.
  const field = fc.integer({ min: 0, max: 99 });
  const text = fc
    .tuple(
      fc.constantFrom(0, 1, 100, 400, 1900, 1970, 2000, 2024, 2026, 2100, 9999),
      field,
      field,
      field,
      field,
      field,
    )
    .map(
      ([y, mo, d, h, mi, s]) =>
        `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}.123Z`,
    );
  fc.assert(
    fc.property(text, (s) => {
      assert.equal(parseEnvelopeTime(s), oracle(s), s);
    }),
    { numRuns: 20_000 },
  );
  for (const s of [
    '2026-02-29T00:00:00.000Z',
    '2024-02-29T00:00:00.000Z',
    '2000-02-29T00:00:00.000Z',
    '1900-02-29T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T23:59:60.000Z',
    '2026-04-31T00:00:00.000Z',
    '2026-1-01T00:00:00.000Z',
    '2026-01-01T00:00:00.000Z ',
    '2026-01-01t00:00:00.000Z',
    '2026-01-01T00:00:00.000+00:00',
    '2026-01-01T00:00:00Z',
    '+02026-01-01T00:00:00.00Z',
    '2026-01-01T00:00:00.0a0Z',
    '２026-01-01T00:00:00.000Z',
    '',
  ]) {
    assert.equal(parseEnvelopeTime(s), oracle(s), s);
  }
  assert.equal(parseEnvelopeTime(1_700_000_000_000), undefined);
  assert.equal(parseEnvelopeTime(null), undefined);
});

test('any string of the right length: the same answer as the round trip', () => {
  const chars = fc.constantFrom(...'0123456789-T:.Z+ x'.split(''));
  fc.assert(
    fc.property(fc.array(chars, { minLength: 24, maxLength: 24 }), (cs) => {
      const s = cs.join('');
      assert.equal(parseEnvelopeTime(s), oracle(s));
    }),
    { numRuns: 20_000 },
  );
  // Mutations of valid texts: one character replaced.
  fc.assert(
    fc.property(fc.integer({ min: MIN, max: MAX }), fc.nat(23), chars, (t, i, c) => {
      const iso = new Date(t).toISOString();
      const s = iso.slice(0, i) + c + iso.slice(i + 1);
      assert.equal(parseEnvelopeTime(s), oracle(s), s);
    }),
    { numRuns: 20_000 },
  );
});
