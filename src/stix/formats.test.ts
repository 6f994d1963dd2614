/** The hand-written fast paths give the same verdicts as the published regular expressions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IDENTIFIER_RE, isIdentifier } from './common.js';
import { checkPropertyRules } from './property-rules.js';
import { compareTimestamps, isValidTimestamp, toMillisPrecision } from './timestamp.js';

const chars = (alphabet: string, max = 60) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { maxLength: max }).map((a) => a.join(''));

describe('fast paths agree with the OASIS patterns', () => {
  it('isIdentifier === identifier.json pattern', () => {
    const uuid = fc.uuid();
    const prefix = chars('abcxyz019-_A', 12);
    const arb = fc.oneof(
      fc.tuple(prefix, uuid).map(([p, u]) => `${p}--${u}`),
      fc.tuple(prefix, chars('0123456789abcdefABCDEF-', 40)).map(([p, u]) => `${p}--${u}`),
      fc.string(),
    );
    fc.assert(
      fc.property(arb, (s) => isIdentifier(s) === IDENTIFIER_RE.test(s)),
      { numRuns: 5000 },
    );
    assert.ok(isIdentifier('indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'));
    assert.ok(!isIdentifier('indicator--8e2e2d2b-17d4-6cbf-938f-98ee46b3cd3f'));
  });

  it('stixProperties === properties.json patternProperties', () => {
    const bin = /^[a-z][a-z0-9_]{0,245}_bin$/;
    const hex = /^[a-z][a-z0-9_]{0,245}_hex$/;
    const generic = /^([a-z][a-z0-9_]{2,249})|id$/;
    const b64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;
    const hexv = /^([a-fA-F0-9]{2})+$/;
    const reference = (k: string, v: unknown): boolean => {
      let ok = true;
      let matched = false;
      if (bin.test(k)) {
        matched = true;
        ok &&= typeof v === 'string' && b64.test(v);
      }
      if (hex.test(k)) {
        matched = true;
        ok &&= typeof v === 'string' && hexv.test(v);
      }
      if (generic.test(k)) {
        matched = true;
        ok &&= v !== null && !(Array.isArray(v) && v.length === 0);
      }
      return ok && matched;
    };
    const key = fc.oneof(
      chars('abz09_-A', 8),
      chars('ab_', 4).map((s) => `${s}_bin`),
      chars('ab_', 4).map((s) => `${s}_hex`),
      chars('aid', 4),
    );
    const value = fc.oneof(
      fc.constant(null),
      fc.constant([]),
      fc.constant('00ff'),
      fc.constant('YWJj'),
      fc.string(),
      fc.integer(),
    );
    fc.assert(
      fc.property(
        key,
        value,
        (k, v) => (checkPropertyRules({ [k]: v }, true).length === 0) === reference(k, v),
      ),
      { numRuns: 5000 },
    );
  });
});

describe('timestamps', () => {
  it('compares as instants, fractions of any length', () => {
    assert.equal(compareTimestamps('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z'), 0);
    assert.ok(compareTimestamps('2024-01-01T00:00:00.1Z', '2024-01-01T00:00:00.09Z') > 0);
    assert.ok(compareTimestamps('2023-12-31T23:59:59.999Z', '2024-01-01T00:00:00Z') < 0);
  });

  it('knows the calendar and pads to milliseconds', () => {
    assert.ok(isValidTimestamp('2024-02-29T00:00:00Z'));
    assert.ok(!isValidTimestamp('2100-02-29T00:00:00Z'));
    assert.ok(!isValidTimestamp('2024-04-31T00:00:00Z'));
    assert.equal(toMillisPrecision('2024-01-01T00:00:00Z'), '2024-01-01T00:00:00.000Z');
    assert.equal(toMillisPrecision('2024-01-01T00:00:00.1234Z'), '2024-01-01T00:00:00.1234Z');
  });
});
