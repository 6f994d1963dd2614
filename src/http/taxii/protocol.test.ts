/** Media types, timestamps, filters and next tokens: the small pieces of TAXII 2.1 section 1.6.8 and 3.4. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseFilters, queryKey } from './filters.js';
import { acceptsTaxii, isTaxiiContentType } from './media-types.js';
import { decodeNext, encodeNext } from './next-token.js';
import { formatTimestampUs, parseTimestampUs } from './timestamps.js';

test('Accept: what we can serve and what we cannot', () => {
  for (const a of [
    undefined,
    '',
    '*/*',
    'application/*',
    'application/taxii+json',
    'application/taxii+json;version=2.1',
    'application/taxii+json; version="2.1"',
    'text/html;q=0.9, application/taxii+json;version=2.1;q=0.5',
  ]) {
    assert.equal(acceptsTaxii(a), true, String(a));
  }
  for (const a of [
    'application/json',
    'application/taxii+json;version=2.0',
    'application/vnd.oasis.taxii+json; version=2.0',
    'application/stix+json;version=2.1',
    'application/taxii+json;version=2.1;q=0',
    'garbage',
  ]) {
    assert.equal(acceptsTaxii(a), false, a);
  }
});

test('Content-Type of a POST', () => {
  for (const c of [
    'application/taxii+json;version=2.1',
    'application/taxii+json',
    'application/stix+json;version=2.1',
    'Application/TAXII+JSON; version="2.1"; charset=utf-8',
  ]) {
    assert.equal(isTaxiiContentType(c), true, c);
  }
  for (const c of [undefined, '', 'application/json', 'application/taxii+json;version=2.0', 'text/plain']) {
    assert.equal(isTaxiiContentType(c), false, String(c));
  }
});

test('timestamps: microseconds round-trip; extra digits floor; bad values name the field', () => {
  assert.equal(parseTimestampUs('1970-01-01T00:00:00.000001Z', 'f'), 1n);
  assert.equal(parseTimestampUs('1970-01-01T00:00:01Z', 'f'), 1_000_000n);
  assert.equal(parseTimestampUs('1970-01-01T00:00:00.0000019Z', 'f'), 1n);
  assert.equal(formatTimestampUs(1n), '1970-01-01T00:00:00.000001Z');
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 253402300799999999n }), (us) => {
      assert.equal(parseTimestampUs(formatTimestampUs(us), 'f'), us);
    }),
  );
  for (const bad of [
    '2026-01-01',
    '2026-01-01T00:00:00',
    '2026-13-01T00:00:00Z',
    '2026-01-01T00:00:00+01:00',
    'x',
  ]) {
    assert.throws(() => parseTimestampUs(bad, 'added_after'), /added_after must be an RFC 3339/);
  }
});

test('filters: defaults, caps, lists, and refusals', () => {
  const allow = new Set([
    'added_after',
    'limit',
    'next',
    'match[id]',
    'match[type]',
    'match[version]',
    'match[spec_version]',
  ]);
  const opts = { allow, maxPageSize: 100, defaultVersion: { kind: 'last' } as const };
  assert.deepEqual(parseFilters({}, opts), { limit: 100, versions: { kind: 'last' } });
  assert.equal(parseFilters({ limit: '5000' }, opts).limit, 100);
  assert.deepEqual(parseFilters({ 'match[type]': ['indicator,malware', 'indicator'] }, opts).types, [
    'indicator',
    'malware',
  ]);
  assert.deepEqual(parseFilters({ 'match[version]': 'all,first' }, opts).versions, { kind: 'all' });
  assert.deepEqual(parseFilters({ 'match[version]': '2026-01-01T00:00:00.000Z' }, opts).versions, {
    kind: 'at',
    versions: ['2026-01-01T00:00:00.000Z'],
  });
  assert.deepEqual(parseFilters({ 'match[version]': '2026-01-01T00:00:00Z' }, opts).versions, {
    kind: 'at',
    versions: ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z'],
  });
  assert.throws(
    () => parseFilters({ 'match[version]': 'first' }, { allow: new Set(['limit']), maxPageSize: 1 }),
    /not supported/,
  );
  assert.throws(() => parseFilters({ limit: ['1', '2'] }, opts), /once/);
  // Unknown parameters are ignored, as HTTP query parameters usually are.
  assert.equal(parseFilters({ foo: 'bar' }, opts).limit, 100);
});

test('next: bound to its query, not to its page size; garbage refused', () => {
  const opts = { allow: new Set(['limit', 'match[type]', 'added_after']), maxPageSize: 100 };
  const a = parseFilters({ 'match[type]': 'indicator,malware', limit: '10' }, opts);
  const b = parseFilters({ 'match[type]': 'malware,indicator', limit: '50' }, opts);
  const c = parseFilters({ 'match[type]': 'malware' }, opts);
  assert.equal(queryKey('s', a), queryKey('s', b));
  assert.notEqual(queryKey('s', a), queryKey('s', c));
  assert.notEqual(queryKey('s', a), queryKey('t', a));
  const tok = encodeNext(1_790_000_000_000_001n, queryKey('s', a));
  assert.equal(decodeNext(tok, queryKey('s', b)), 1_790_000_000_000_001n);
  assert.throws(() => decodeNext(tok, queryKey('s', c)), /different query/);
  assert.throws(() => decodeNext('!!', queryKey('s', a)), /not a token/);
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: 2n ** 62n }), fc.string(), (us, scope) => {
      const k = queryKey(scope, a);
      assert.equal(decodeNext(encodeNext(us, k), k), us);
    }),
  );
});
