import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ParleyError } from '../core/index.js';
import { decodeBatch, decodeEntries, encodeEntries } from './codec.js';
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

test('the line layout gives the text of each object as sent; any other layout is parsed whole', () => {
  const pretty = JSON.stringify(JSON.parse(json), null, 2);
  const data = encodeEntries([
    { origin: 'cert-a', json },
    { origin: 'cert-b', permissions: [], json: pretty },
  ]);
  const d = decodeBatch(data, 1 << 20);
  assert.deepEqual(d.texts, [json, json], 'the pretty text travels compact, on one line');
  assert.deepEqual(d.entries, JSON.parse(inflate(data)), 'the same entries as a whole parse of the body');
  assert.equal(encodeEntries([]).length > 0, true);
  assert.deepEqual(decodeBatch(encodeEntries([]), 1 << 20), { entries: [] });
  const body = (t: string) => deflateRawSync(Buffer.from(t)).toString('base64');
  // Another sender's layout (origin first, no line breaks): values, no texts.
  const other = decodeBatch(body(`[{"origin":"x","object":${json}}]`), 1 << 20);
  assert.equal(other.texts, undefined);
  assert.equal((other.entries[0] as { origin: string }).origin, 'x');
  // A line whose object is not one value, or whose tail holds another key, is not taken as text.
  for (const t of [
    `[\n{"object":{"a":1},"object":{"b":2},"origin":"x"}\n]`,
    `[\n{"object":${json},"origin":"x","object":{"b":2}}\n]`,
    `[\n{"object":[1],"origin":"x"}\n]`,
  ]) {
    const r = decodeBatch(body(t), 1 << 20);
    assert.equal(r.texts, undefined, t);
    assert.deepEqual(r.entries, JSON.parse(t), t);
  }
  assert.throws(
    () => decodeBatch(body('[\n{"object":{,"origin":"x"}\n]'), 1 << 20),
    /does not inflate to JSON/,
  );
});

const inflate = (data: string) => inflateRawSync(Buffer.from(data, 'base64')).toString('utf8');
