import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { ParleyError } from '../core/index.js';
import { decodeEntries, encodeEntries } from './codec.js';
import { checkBatch } from './receive.js';

const json = JSON.stringify({
  type: 'indicator',
  id: 'indicator--00000000-0000-4000-8000-000000000001',
  name: 'x "q"',
});

test('entries round-trip: the stored text is embedded, values come back', () => {
  const data = encodeEntries([
    { origin: 'cert-a', json },
    { origin: 'cert-b', permissions: [], json },
  ]);
  const out = decodeEntries(data, 1 << 20) as { origin: string; object: { name: string } }[];
  assert.deepEqual(
    out.map((e) => [e.origin, e.object.name]),
    [
      ['cert-a', 'x "q"'],
      ['cert-b', 'x "q"'],
    ],
  );
});

test('a body that inflates past the limit is refused before it is held', () => {
  const bomb = deflateRawSync(Buffer.alloc(10 << 20, 0x20)).toString('base64');
  assert.throws(() => decodeEntries(bomb, 1 << 20), /inflates past 1048576 bytes/);
  assert.throws(() => decodeEntries('not base64!', 1 << 20), /data must be base64/);
  assert.throws(
    () => decodeEntries(deflateRawSync(Buffer.from('{"a":1}')).toString('base64'), 1 << 20),
    /must inflate to a list/,
  );
});

test('a malformed batch names its field', () => {
  const good = {
    v: 1,
    collection: 'c1',
    after: '0',
    upTo: '5',
    count: 1,
    encoding: 'deflate-raw+base64',
    data: encodeEntries([{ origin: 'cert-a', json }]),
  };
  assert.equal(checkBatch(good, 10, 1 << 20).entries.length, 1);
  const bad = (p: Record<string, unknown>, re: RegExp) =>
    assert.throws(
      () => checkBatch({ ...good, ...p }, 10, 1 << 20),
      (e: unknown) => e instanceof ParleyError && e.code === 'exchange.bad_batch' && re.test(e.message),
    );
  bad({ upTo: '-1' }, /upTo must be microseconds/);
  bad({ count: 2 }, /count is 2 but data holds 1/);
  bad({ count: 11 }, /count must be an integer from 0 to 10/);
  bad({ encoding: 'gzip' }, /encoding must be/);
  bad({ data: encodeEntries([{ origin: 'cert-a', json: '[1]' }]) }, /data\[0\] must be \{origin, object\}/);
});

test('decodeEntries: base64 is checked without a pass of its own (other letters, URL-safe, bad padding)', () => {
  const good = deflateRawSync(Buffer.from('[{"origin":"a","object":{"id":"x"}}]')).toString('base64');
  assert.equal(decodeEntries(good, 1 << 20).length, 1);
  for (const bad of [`${good.slice(0, -4)}!!!!`, good.replace(/\+|\//, '-'), `${good}=`, 'QQ=A'])
    assert.throws(() => decodeEntries(bad, 1 << 20), /data must be base64/, bad.slice(-8));
});
