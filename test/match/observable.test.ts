import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseObservable, readObservables } from '../../src/match/index.js';

const kind = (v: string) => {
  const o = parseObservable(v);
  return o.algorithm ? `${o.kind} ${o.algorithm}` : o.kind;
};

describe('parseObservable', () => {
  it('guesses the type of a bare value by its form', () => {
    const cases: [string, string][] = [
      ['198.51.100.7', 'ipv4-addr'],
      ['10.0.0.0/8', 'ipv4-addr'],
      ['2001:db8::1', 'ipv6-addr'],
      ['2001:db8::/32', 'ipv6-addr'],
      ['::ffff:198.51.100.7', 'ipv6-addr'],
      ['a'.repeat(32), 'hash MD5'],
      ['a'.repeat(40), 'hash SHA-1'],
      ['a'.repeat(64), 'hash SHA-256'],
      ['a'.repeat(128), 'hash SHA-512'],
      ['http://evil.example/x', 'url'],
      ['phish@evil.example', 'email-addr'],
      ['HKLM\\Software\\Run', 'windows-registry-key'],
      ['evil.example', 'domain-name'],
      ['xn--80ak6aa92e.com', 'domain-name'],
      ['invoice.exe', 'generic'],
      ['Global\\mutex-1', 'generic'],
      ['01.2.3.4', 'generic'],
      ['256.1.1.1', 'generic'],
    ];
    for (const [v, k] of cases) assert.equal(kind(v), k, v);
  });

  it('accepts type:value and normalises', () => {
    assert.equal(kind('domain:Evil.Example.'), 'domain-name');
    assert.equal(parseObservable('domain:Evil.Example.').value, 'evil.example');
    assert.equal(kind(`sha3-256:${'A'.repeat(64)}`), 'hash SHA3-256');
    assert.equal(parseObservable(`sha3-256:${'A'.repeat(64)}`).value, 'a'.repeat(64));
    assert.equal(kind('file:evil.example'), 'file');
    assert.equal(kind('mutex:x'), 'mutex');
    assert.equal(kind('ip:2001:db8::1'), 'ipv6-addr');
    assert.equal(parseObservable('2001:0DB8:0::1').value, '2001:db8::1');
    assert.deepEqual(parseObservable('::ffff:198.51.100.7').scos, [
      { type: 'ipv6-addr', value: '::ffff:c633:6407' },
      { type: 'ipv4-addr', value: '198.51.100.7' },
    ]);
    assert.throws(() => parseObservable('  '), { code: 'match.empty_value' });
  });
});

describe('readObservables', () => {
  it('reads lines, skipping blanks and comments', () => {
    assert.deepEqual(readObservables('# log\n\n a.example \r\n198.51.100.1\n'), [
      'a.example',
      '198.51.100.1',
    ]);
  });

  it('reads the SCOs of a STIX bundle, top level and inside observed-data', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--1',
      objects: [
        { type: 'observed-data', objects: { 0: { type: 'ipv4-addr', value: '198.51.100.1' } } },
        { type: 'file', hashes: { 'SHA-256': 'ab'.repeat(32) }, name: 'x.exe' },
        { type: 'url', value: 'http://x.example/' },
        { type: 'indicator', pattern: '[x:y = 1]' },
      ],
    };
    assert.deepEqual(readObservables(JSON.stringify(bundle)), [
      'ipv4-addr:198.51.100.1',
      `SHA-256:${'ab'.repeat(32)}`,
      'file:x.exe',
      'url:http://x.example/',
    ]);
    assert.throws(() => readObservables('{"type":"report"}'), { code: 'match.bad_input' });
  });
});
