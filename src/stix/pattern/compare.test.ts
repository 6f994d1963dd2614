/**
 * Comparison operators on one observation (STIX 2.1 section 9.6): every operator with and without NOT,
 * lists, references, missing properties and the coercions between literal and property types.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation, Sco } from './evaluator/observations.js';
import { matchPattern } from './match.js';

const T0 = '2024-05-01T12:00:00Z';
const one = (...objects: Sco[]): Observation[] => [{ first_observed: T0, last_observed: T0, objects }];

const file: Sco = {
  type: 'file',
  id: 'file--1',
  name: 'Final Report.exe',
  size: 1024,
  ratio: 7.5,
  created: '2014-01-13T07:03:17.000Z',
  magic_number_hex: 'FFD8FFE0',
  hashes: { MD5: '79054025255fb1a26e4bc422aef54eb4', 'SHA-256': 'aa' },
  tags: ['red', 'green', 'blue'],
  signed: true,
  parent_directory_ref: 'directory--1',
  extensions: { 'windows-pebinary-ext': { sections: [{ entropy: 3.1 }, { entropy: 7.9 }] } },
};
const dir: Sco = { type: 'directory', id: 'directory--1', path: 'C:\\Windows\\System32' };
const ip: Sco = { type: 'ipv4-addr', id: 'ipv4-addr--1', value: '198.51.100.7' };
const ip6: Sco = { type: 'ipv6-addr', id: 'ipv6-addr--1', value: '2001:db8:dead:beef::1' };
const net: Sco = { type: 'ipv4-addr', id: 'ipv4-addr--2', value: '10.1.0.0/16' };
const artifact: Sco = {
  type: 'artifact',
  id: 'artifact--1',
  payload_bin: Buffer.from([0xd4, 0xc3, 0xb2, 0xa1]).toString('base64'),
};
const domain: Sco = {
  type: 'domain-name',
  id: 'domain-name--1',
  value: 'example.com',
  resolves_to_refs: ['ipv4-addr--1', 'ipv4-addr--2'],
};
const traffic: Sco = {
  type: 'network-traffic',
  id: 'network-traffic--1',
  dst_ref: 'ipv4-addr--1',
  dst_port: 443,
};

const data = one(file, dir, ip, ip6, net, artifact, domain, traffic);
const matches = (p: string, obs = data) => matchPattern(p, obs).matched;

/** Assert `[test]` matches iff `expected`, and `[test with NOT]` matches iff not `expected`. */
function both(objectPath: string, op: string, value: string, expected: boolean, obs = data) {
  assert.equal(matches(`[${objectPath} ${op} ${value}]`, obs), expected, `${objectPath} ${op} ${value}`);
  assert.equal(
    matches(`[${objectPath} NOT ${op} ${value}]`, obs),
    !expected,
    `${objectPath} NOT ${op} ${value}`,
  );
}

describe('pattern matching: comparison operators', () => {
  it('= and !=', () => {
    both('file:name', '=', "'Final Report.exe'", true);
    both('file:name', '=', "'final report.exe'", false);
    both('file:name', '!=', "'x'", true);
    both('file:size', '!=', '1024', false);
    both('file:signed', '=', 'true', true);
  });

  it('<, <=, >, >= on numbers, strings and timestamps', () => {
    both('file:size', '<', '2048', true);
    both('file:size', '<=', '1024', true);
    both('file:size', '>', '1024', false);
    both('file:size', '>=', '1024', true);
    both('file:name', '<', "'G'", true);
    both('file:created', '>', "t'2014-01-13T07:03:16.999Z'", true);
    both('file:created', '<', "t'2014-01-13T07:03:17Z'", false);
  });

  it('IN', () => {
    both('file:size', 'IN', '(1, 1024, 4096)', true);
    both('file:name', 'IN', "('a', 'b')", false);
    both('file:size', 'IN', '()', false);
  });

  it('LIKE: % any run, _ one character, the whole value', () => {
    both('file:name', 'LIKE', "'Final%'", true);
    both('file:name', 'LIKE', "'%Report.ex_'", true);
    both('file:name', 'LIKE', "'Report%'", false);
    both('file:name', 'LIKE', "'Final Report.e_'", false);
    both('directory:path', 'LIKE', "'C:\\\\Windows\\\\%'", true);
    both('file:name', 'LIKE', "'Final Report(.)exe'", false);
  });

  it('MATCHES: unanchored JS regex, PCRE option group, bytes of binary properties', () => {
    both('file:name', 'MATCHES', "'^Final Report.*\\\\.exe$'", true);
    both('file:name', 'MATCHES', "'^Final Report.+\\\\.exe$'", false);
    both('file:name', 'MATCHES', "'Report'", true);
    both('file:name', 'MATCHES', "'^report'", false);
    both('file:name', 'MATCHES', "'(?i)^final report'", true);
    both('artifact:payload_bin', 'MATCHES', "'^\\\\xd4\\\\xc3\\\\xb2\\\\xa1$'", true);
    // A regex RegExp cannot compile matches nothing, negated or not.
    assert.equal(matches("[file:name MATCHES '(unclosed']"), false);
    assert.equal(matches("[file:name NOT MATCHES '(unclosed']"), false);
  });

  it('ISSUBSET and ISSUPERSET on IPv4 and IPv6 blocks', () => {
    both('ipv4-addr:value', 'ISSUBSET', "'198.51.100.0/24'", true, one(ip));
    both('ipv4-addr:value', 'ISSUBSET', "'198.51.101.0/24'", false, one(ip));
    both('ipv4-addr:value', 'ISSUPERSET', "'10.1.2.0/24'", true, one(net));
    both('ipv4-addr:value', 'ISSUPERSET', "'10.0.0.0/8'", false, one(net));
    both('ipv6-addr:value', 'ISSUBSET', "'2001:0db8:dead:beef:0000:0000:0000:0000/64'", true);
    both('ipv6-addr:value', 'ISSUBSET', "'2001:db8:dead:bee0::/64'", false);
    assert.equal(matches("[ipv4-addr:value ISSUPERSET '10.1.2.3']"), true);
    assert.equal(matches("[ipv4-addr:value ISSUPERSET '10.0.0.0/8']"), false);
    assert.equal(matches("[ipv4-addr:value ISSUBSET '::ffff:198.51.100.0/120']"), true);
    // Address families do not mix, and non-addresses never match.
    assert.equal(matches("[ipv6-addr:value NOT ISSUBSET '198.51.100.0/24']"), false);
    assert.equal(matches("[ipv4-addr:value ISSUBSET 'not-an-ip']"), false);
  });

  it('EXISTS and NOT EXISTS', () => {
    assert.equal(matches('[EXISTS file:hashes.MD5]'), true);
    assert.equal(matches("[EXISTS file:hashes.'SHA-1']"), false);
    assert.equal(matches("[NOT EXISTS file:hashes.'SHA-1']"), true);
    assert.equal(matches('[NOT EXISTS file:name]'), false);
  });
});

describe('pattern matching: values', () => {
  it('a missing property never matches, with or without NOT', () => {
    for (const p of [
      "[file:nope = 'x']",
      "[file:nope NOT = 'x']",
      "[file:nope != 'x']",
      '[file:nope NOT > 1]',
      "[file:tags[9] NOT = 'x']",
      "[process:name NOT = 'x']",
    ]) {
      assert.equal(matches(p), false, p);
    }
  });

  it('types that cannot be compared do not match, with or without NOT', () => {
    for (const p of [
      "[file:size = '1024']",
      "[file:size NOT = '1024']",
      '[file:name NOT > 3]',
      '[file:hashes NOT = 1]',
      "[file:size NOT LIKE '1%']",
    ]) {
      assert.equal(matches(p), false, p);
    }
  });

  it('compares integers with floats, timestamps with strings, hex and binary with bytes', () => {
    assert.equal(matches('[file:size = 1024.0]'), true);
    assert.equal(matches('[file:ratio > 7]'), true);
    assert.equal(matches("[file:created = t'2014-01-13T07:03:17Z']"), true);
    assert.equal(matches("[file:created = '2014-01-13T07:03:17Z']"), false);
    assert.equal(matches("[file:magic_number_hex = h'ffd8ffe0']"), true);
    assert.equal(matches("[file:magic_number_hex = 'ffd8ffe0']"), true);
    assert.equal(matches("[file:magic_number_hex > h'ffd8']"), true);
    assert.equal(matches(`[artifact:payload_bin = b'${artifact.payload_bin}']`), true);
    assert.equal(matches("[artifact:payload_bin = h'd4c3b2a1']"), true);
    assert.equal(matches("[file:name = h'46696e616c205265706f72742e657865']"), true);
  });

  it('walks lists with [*] and [n], dictionaries with [*]', () => {
    assert.equal(matches("[file:tags[*] = 'green']"), true);
    assert.equal(matches("[file:tags[*] NOT = 'green']"), true);
    assert.equal(matches("[file:tags[1] = 'green']"), true);
    assert.equal(matches("[file:tags[0] = 'green']"), false);
    assert.equal(matches("[file:tags[-1] = 'blue']"), true);
    assert.equal(matches("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]"), true);
    assert.equal(matches("[file:extensions.'windows-pebinary-ext'.sections[0].entropy > 7.0]"), false);
    assert.equal(matches("[file:hashes[*] = '79054025255fb1a26e4bc422aef54eb4']"), true);
  });

  it('follows _ref and _refs to other objects of the same observation', () => {
    assert.equal(matches("[file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']"), true);
    assert.equal(matches("[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24']"), true);
    assert.equal(
      matches("[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_port = 443]"),
      true,
    );
    assert.equal(matches("[domain-name:resolves_to_refs[*].value = '10.1.0.0/16']"), true);
    assert.equal(matches("[domain-name:resolves_to_refs[0].value = '10.1.0.0/16']"), false);
    assert.equal(matches("[network-traffic:dst_ref = 'ipv4-addr--1']"), true);
    // A reference to an object the observation does not hold leads nowhere.
    const orphan = one({ type: 'network-traffic', dst_ref: 'ipv4-addr--9' });
    assert.equal(matches("[network-traffic:dst_ref.value NOT = 'x']", orphan), false);
  });

  it('follows references in the STIX 2.0 dictionary form of objects', () => {
    const obs: Observation[] = [
      {
        first_observed: T0,
        last_observed: T0,
        objects: {
          '0': { type: 'ipv4-addr', value: '203.0.113.33' },
          '1': { type: 'network-traffic', dst_ref: '0' },
        },
      },
    ];
    assert.equal(matches("[network-traffic:dst_ref.value = '203.0.113.33']", obs), true);
  });

  it('binds one SCO per object type: same-type tests joined by AND hold for the same object', () => {
    const two = one({ type: 'file', name: 'a', size: 1 }, { type: 'file', name: 'b', size: 2 });
    assert.equal(matches("[file:name = 'a' AND file:size = 1]", two), true);
    assert.equal(matches("[file:name = 'a' AND file:size = 2]", two), false);
    assert.equal(matches("[file:name = 'a' OR file:size = 2]", two), true);
    assert.equal(matches("[(file:name = 'a' OR file:name = 'b') AND file:size = 2]", two), true);
    // Different types may be satisfied by different SCOs of the same observation (spec example).
    const mixed = one(
      { type: 'network-traffic', src_port: 37020 },
      { type: 'user-account', user_id: 'root' },
    );
    assert.equal(
      matches("[network-traffic:src_port = 37020 AND user-account:user_id = 'root']", mixed),
      true,
    );
    assert.equal(
      matches("[network-traffic:src_port = 37020 AND user-account:user_id = 'admin']", mixed),
      false,
    );
  });
});
