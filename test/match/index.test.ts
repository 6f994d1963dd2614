import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndicatorIndex, parseObservable } from '../../src/match/index.js';
import { AMBER, indicator, NOW } from './fixtures.js';
import { RandomIntel } from './random-intel.js';

/** An index holding `patterns`; `hits(value)` names the indicators (by position) a value matches. */
function indexOf(patterns: (string | Record<string, unknown>)[]) {
  const idx = new IndicatorIndex();
  const objs = patterns.map((p) => (typeof p === 'string' ? indicator(p) : p));
  for (const o of objs) idx.apply(o, 'local');
  const hits = (value: string, now = NOW) =>
    idx
      .lookup(parseObservable(value), now)
      .map((e) => objs.findIndex((o) => o.id === e.id))
      .sort((a, b) => a - b);
  return { idx, objs, hits };
}

const SHA256 = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f';
const MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f';
const SHA1 = '2fd4e1c67a2d28fced849ee1bb76e7391b93eb12';
const SHA512 = 'a'.repeat(128);

describe('exact values', () => {
  it('hashes of every length, any case, any spelling of the algorithm', () => {
    const { hits } = indexOf([
      `[file:hashes.'SHA-256' = '${SHA256.toUpperCase()}']`,
      `[file:hashes.MD5 = '${MD5}']`,
      `[file:hashes.'SHA-1' = '${SHA1}']`,
      `[file:hashes.'SHA-512' = '${SHA512}']`,
      `[file:hashes.SHA256 = '${SHA256}']`,
      `[file:hashes.'SHA3-256' = '${SHA256}']`,
    ]);
    assert.deepEqual(hits(SHA256), [0, 4]);
    assert.deepEqual(hits(SHA256.toUpperCase()), [0, 4]);
    assert.deepEqual(hits(MD5), [1]);
    assert.deepEqual(hits(SHA1), [2]);
    assert.deepEqual(hits(SHA512), [3]);
    assert.deepEqual(hits(`sha3-256:${SHA256}`), [5]);
    assert.deepEqual(hits(`md5:${MD5.toUpperCase()}`), [1]);
    assert.deepEqual(hits(MD5.replace('c', 'd')), []);
  });

  it('domains: case-insensitive, trailing dot, no suffix match', () => {
    const { hits } = indexOf([
      "[domain-name:value = 'Evil.Example.COM']",
      "[domain-name:value = 'example.com.']",
    ]);
    assert.deepEqual(hits('evil.example.com'), [0]);
    assert.deepEqual(hits('EVIL.example.com.'), [0]);
    assert.deepEqual(hits('example.com'), [1]);
    assert.deepEqual(hits('other.example.com'), []);
  });

  it('URLs are normalised (scheme and host case, default port, dot segments, fragment)', () => {
    const { hits } = indexOf([
      "[url:value = 'HTTP://Evil.Example.com:80/a/../login?x=1']",
      "[url:value = 'https://example.org']",
    ]);
    assert.deepEqual(hits('http://evil.example.com/login?x=1'), [0]);
    assert.deepEqual(hits('http://EVIL.example.com/login?x=1#top'), [0]);
    assert.deepEqual(hits('http://evil.example.com/login?x=2'), []);
    assert.deepEqual(hits('https://example.org/'), [1]);
    assert.deepEqual(hits('https://EXAMPLE.org:443'), [1]);
  });

  it('e-mail addresses: domain part case-insensitive, local part kept', () => {
    const { hits } = indexOf(["[email-addr:value = 'Phish@Evil.Example']"]);
    assert.deepEqual(hits('Phish@evil.example'), [0]);
    assert.deepEqual(hits('phish@evil.example'), []);
  });

  it('file names, mutexes, registry keys, and a bare word as file or mutex name', () => {
    const { hits } = indexOf([
      "[file:name = 'invoice.exe']",
      "[mutex:name = 'Global\\\\xyz']",
      "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software\\\\Run']",
      "[file:name = 'dropper'] OR [mutex:name = 'dropper']",
    ]);
    assert.deepEqual(hits('invoice.exe'), [0]);
    assert.deepEqual(hits('mutex:Global\\xyz'), [1]);
    assert.deepEqual(hits('hkey_local_machine\\software\\run'), [2]);
    assert.deepEqual(hits('dropper'), [3]);
    assert.deepEqual(hits('mutex:dropper'), [3]);
  });

  it('IN lists and OR inside brackets', () => {
    const { hits } = indexOf([
      "[domain-name:value IN ('a.example', 'b.example') OR url:value = 'http://c.example/']",
    ]);
    assert.deepEqual(hits('a.example'), [0]);
    assert.deepEqual(hits('b.example'), [0]);
    assert.deepEqual(hits('http://c.example/'), [0]);
    assert.deepEqual(hits('c.example'), []);
  });
});

describe('addresses and CIDR blocks', () => {
  it('IPv4 and IPv6 equality, IPv6 in any spelling', () => {
    const { hits } = indexOf(["[ipv4-addr:value = '198.51.100.7']", "[ipv6-addr:value = '2001:DB8:0::7']"]);
    assert.deepEqual(hits('198.51.100.7'), [0]);
    assert.deepEqual(hits('198.51.100.8'), []);
    assert.deepEqual(hits('2001:db8::7'), [1]);
    assert.deepEqual(hits('2001:0db8:0000:0000:0000:0000:0000:0007'), [1]);
  });

  it('containment in nested and overlapping ranges, and of a block in a block', () => {
    const { hits } = indexOf([
      "[ipv4-addr:value ISSUBSET '10.0.0.0/8']",
      "[ipv4-addr:value ISSUBSET '10.1.0.0/16']",
      "[ipv4-addr:value ISSUBSET '10.1.2.0/24']",
      "[ipv4-addr:value ISSUBSET '0.0.0.0/0']",
      "[ipv4-addr:value ISSUBSET '10.1.2.3']",
      "[ipv4-addr:value ISSUBSET '10.1.2.128/25']",
    ]);
    assert.deepEqual(hits('10.1.2.3'), [0, 1, 2, 3, 4]);
    assert.deepEqual(hits('10.1.2.200'), [0, 1, 2, 3, 5]);
    assert.deepEqual(hits('10.1.3.1'), [0, 1, 3]);
    assert.deepEqual(hits('10.2.0.1'), [0, 3]);
    assert.deepEqual(hits('11.0.0.1'), [3]);
    assert.deepEqual(hits('10.1.0.0/16'), [0, 1, 3]);
    assert.deepEqual(hits('10.0.0.0/7'), [3]);
  });

  it('IPv6 ranges at prefix lengths that cut a hex digit', () => {
    const { hits } = indexOf([
      "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
      "[ipv6-addr:value ISSUBSET '2001:db8:8000::/33']",
      "[ipv6-addr:value ISSUBSET '2001:db8:4000::/34']",
      "[ipv6-addr:value ISSUBSET '::/0']",
    ]);
    assert.deepEqual(hits('2001:db8:8001::1'), [0, 1, 3]);
    assert.deepEqual(hits('2001:db8:4001::1'), [0, 2, 3]);
    assert.deepEqual(hits('2001:db8:0001::1'), [0, 3]);
    assert.deepEqual(hits('2001:db9::1'), [3]);
    assert.deepEqual(hits('198.51.100.1'), [], 'IPv4 is not inside ::/0 (families differ)');
  });

  it('IPv4-mapped IPv6 is looked up as its IPv4 address too', () => {
    const { hits } = indexOf([
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
      "[ipv4-addr:value = '198.51.100.7']",
      "[ipv6-addr:value ISSUBSET '::ffff:198.51.100.0/120']",
      "[ipv6-addr:value ISSUBSET '2001:db8::/32']",
    ]);
    assert.deepEqual(hits('::ffff:198.51.100.7'), [0, 1, 2]);
    assert.deepEqual(hits('::ffff:198.51.101.7'), []);
    assert.deepEqual(hits('198.51.100.9'), [0]);
  });
});

describe('what the evaluator decides', () => {
  it('patterns without an index key (LIKE, MATCHES) run on every lookup', () => {
    const { idx, hits } = indexOf([
      "[domain-name:value LIKE '%.evil.example']",
      "[url:value MATCHES '^https?://x']",
    ]);
    assert.equal(idx.stats.residual, 2);
    assert.deepEqual(hits('a.evil.example'), [0]);
    assert.deepEqual(hits('http://x.example/'), [1]);
    assert.deepEqual(hits('a.good.example'), []);
  });

  it('index hits of partly covered patterns are confirmed', () => {
    const { hits } = indexOf([
      "[file:name = 'a.exe' AND file:size = 3]",
      "[ipv4-addr:value = '198.51.100.7'] AND [domain-name:value = 'x.example']",
      "[ipv4-addr:value = '198.51.100.8'] WITHIN 60 SECONDS",
    ]);
    assert.deepEqual(hits('a.exe'), [], 'no size on a looked-up name');
    assert.deepEqual(hits('198.51.100.7'), [], 'AND of two observations needs two');
    assert.deepEqual(hits('198.51.100.8'), [2]);
  });
});

describe('validity, versions and revocation', () => {
  it('answers only within valid_from .. valid_until (exclusive)', () => {
    const { hits } = indexOf([
      indicator("[domain-name:value = 'w.example']", {
        valid_from: '2025-01-01T00:00:00Z',
        valid_until: '2025-02-01T00:00:00Z',
      }),
    ]);
    assert.deepEqual(hits('w.example', Date.parse('2024-12-31T23:59:59Z')), []);
    assert.deepEqual(hits('w.example', Date.parse('2025-01-01T00:00:00Z')), [0]);
    assert.deepEqual(hits('w.example', Date.parse('2025-01-31T23:59:59Z')), [0]);
    assert.deepEqual(hits('w.example', Date.parse('2025-02-01T00:00:00Z')), []);
  });

  it('bounds inside a minute and far from now are held to the millisecond', () => {
    const { hits } = indexOf([
      indicator("[domain-name:value = 'm.example']", {
        valid_from: '2025-01-01T12:00:30.500Z',
        valid_until: '2025-01-01T12:05:10.250Z',
      }),
      indicator("[domain-name:value = 'm.example']", {
        valid_from: '0001-01-01T00:00:00Z',
        valid_until: '9999-12-31T23:59:59.999Z',
      }),
      indicator("[domain-name:value = 'm.example']", { valid_from: '9000-01-01T00:00:00Z' }),
    ]);
    const at = (t: string) => hits('m.example', Date.parse(t));
    assert.deepEqual(at('2025-01-01T12:00:29.000Z'), [1]);
    assert.deepEqual(at('2025-01-01T12:00:30.499Z'), [1]);
    assert.deepEqual(at('2025-01-01T12:00:30.500Z'), [0, 1]);
    assert.deepEqual(at('2025-01-01T12:01:00.000Z'), [0, 1]);
    assert.deepEqual(at('2025-01-01T12:04:59.999Z'), [0, 1]);
    assert.deepEqual(at('2025-01-01T12:05:10.249Z'), [0, 1]);
    assert.deepEqual(at('2025-01-01T12:05:10.250Z'), [1]);
    assert.deepEqual(at('8999-12-31T23:59:59.999Z'), [1]);
    assert.deepEqual(at('9000-01-01T00:00:00.000Z'), [1, 2]);
    assert.deepEqual(at('9999-12-31T23:59:59.999Z'), [2]);
  });

  it('a newer version replaces the keys, an older one changes nothing, revocation is final', () => {
    const idx = new IndicatorIndex();
    const v1 = indicator("[domain-name:value = 'old.example']", { object_marking_refs: [AMBER] });
    const at = (m: string) => ({ modified: m });
    const v2 = { ...v1, ...at('2024-02-01T00:00:00.000Z'), pattern: "[domain-name:value = 'new.example']" };
    const v0 = { ...v1, ...at('2023-12-01T00:00:00.000Z'), pattern: "[domain-name:value = 'older.example']" };
    const look = (v: string) => idx.lookup(parseObservable(v), NOW).map((e) => e.pattern);
    assert.equal(idx.apply(v1, 'local'), 'added');
    assert.equal(idx.lookup(parseObservable('old.example'), NOW)[0]?.tlp, 'amber');
    assert.equal(idx.apply(v2, 'local'), 'replaced');
    assert.deepEqual(look('old.example'), []);
    assert.deepEqual(look('new.example'), [v2.pattern]);
    assert.equal(idx.apply(v0, 'local'), 'ignored');
    assert.equal(idx.apply(v1, 'local'), 'ignored');
    assert.deepEqual(look('older.example'), []);
    const revoked = { ...v2, ...at('2024-03-01T00:00:00.000Z'), revoked: true };
    assert.equal(idx.apply(revoked, 'local'), 'removed');
    assert.deepEqual(look('new.example'), []);
    const after = { ...v2, ...at('2024-04-01T00:00:00.000Z') };
    assert.equal(idx.apply(after, 'local'), 'ignored', 'nothing follows a revocation');
    assert.deepEqual(idx.stats, { indicators: 0, exactKeys: 0, ranges: 0, residual: 0 });
  });

  it('removing a range or a residual pattern leaves the index empty', () => {
    const idx = new IndicatorIndex();
    const a = indicator("[ipv4-addr:value ISSUBSET '10.0.0.0/8'] OR [domain-name:value LIKE 'x%']");
    idx.apply(a, 'local');
    assert.deepEqual(idx.stats, { indicators: 1, exactKeys: 0, ranges: 1, residual: 1 });
    idx.apply({ ...a, modified: '2024-05-01T00:00:00.000Z', revoked: true }, 'local');
    assert.deepEqual(idx.stats, { indicators: 0, exactKeys: 0, ranges: 0, residual: 0 });
    assert.deepEqual(idx.lookup(parseObservable('10.1.1.1'), NOW), []);
  });

  it('many indicators on one value are each answered once, and leave with their version', () => {
    const objs = Array.from({ length: 40 }, () =>
      indicator(
        "[ipv4-addr:value = '192.0.2.1'] OR [ipv6-addr:value ISSUBSET '2001:db8::/48' OR ipv4-addr:value ISSUBSET '192.0.2.0/24']",
      ),
    );
    const idx = new IndicatorIndex();
    for (const o of objs) idx.apply(o, 'local');
    assert.equal(idx.lookup(parseObservable('192.0.2.1'), NOW).length, 40);
    assert.equal(idx.lookup(parseObservable('2001:db8:0:1::9'), NOW).length, 40);
    for (const o of objs) idx.apply({ ...o, modified: '2024-09-01T00:00:00.000Z', revoked: true }, 'local');
    assert.deepEqual(idx.stats, { indicators: 0, exactKeys: 0, ranges: 0, residual: 0 });
    assert.equal(idx.lookup(parseObservable('2001:db8:0:1::9'), NOW).length, 0);
  });

  it('the same indicator in two collections is answered from each', () => {
    const idx = new IndicatorIndex();
    const a = indicator("[domain-name:value = 'two.example']", { created_by_ref: 'identity--x' });
    idx.apply(a, 'local');
    idx.apply(a, 'peer-b');
    assert.deepEqual(
      idx.lookup(parseObservable('two.example'), NOW).map((e) => [e.collection, e.createdBy]),
      [
        ['local', 'identity--x'],
        ['peer-b', 'identity--x'],
      ],
    );
  });

  it('ignores indicators whose pattern is not STIX', () => {
    const { idx } = indexOf([indicator("alert tcp any any -> any any (msg:'x')", { pattern_type: 'snort' })]);
    assert.equal(idx.stats.indicators, 0);
  });
});

describe('lookupMany', () => {
  it('answers each observable as lookup() does, across its internal chunks of probes', () => {
    const gen = new RandomIntel(3000, { seed: 3 });
    const idx = new IndicatorIndex();
    for (let i = 0; i < 3000; i++) idx.apply(gen.indicator(), 'local');
    // ~6,000 observables (generic values probe twice): several chunks of 2,048 probes.
    const obs = Array.from({ length: 6000 }, () => parseObservable(gen.observable()));
    const one = obs.map((o) => idx.lookup(o, NOW).map((e) => e.id));
    const many = idx.lookupMany(obs, NOW).map((hits) => hits.map((e) => e.id));
    assert.deepEqual(many, one);
    assert.ok(
      one.filter((h) => h.length > 0).length > 100,
      'the sample must hold many matches to mean anything',
    );
  });

  it('an observable with more probes than a chunk holds is answered whole', () => {
    const { idx } = indexOf(["[file:name = 'n2999']", "[file:name = 'n10']", "[mutex:name = 'n5']"]);
    const base = parseObservable('file:n0');
    const names = Array.from({ length: 3000 }, (_, i) => `n${i}`);
    const wide = { ...base, scos: names.map((name) => ({ type: 'file', name })) };
    wide.probes = names.map((n) => parseObservable(`file:${n}`).probes[0]!);
    const [first, second] = idx.lookupMany([wide, parseObservable('mutex:n5')], NOW);
    assert.deepEqual(first!.map((e) => e.pattern).sort(), ["[file:name = 'n10']", "[file:name = 'n2999']"]);
    assert.deepEqual(
      second!.map((e) => e.pattern),
      ["[mutex:name = 'n5']"],
    );
  });
});
