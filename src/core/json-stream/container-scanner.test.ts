import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isParleyError } from '../errors.js';
import { StixContainerScanner } from './container-scanner.js';
import type { ReadStixOptions } from './types.js';

/** Everything observable about one run: elements, header, container info, or the error. */
interface Outcome {
  elements: { index: number; offset: number; raw: string; value: unknown }[];
  header?: unknown;
  info?: unknown;
  error?: { code: string; message: string; details: unknown };
}

const bytesOf = (s: string | Uint8Array): Uint8Array => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s);

/** Feeds `input` cut at `cuts` (sorted positions) to a scanner. */
function run(input: string | Uint8Array, cuts: number[] = [], opts: ReadStixOptions = {}): Outcome {
  const bytes = bytesOf(input);
  const s = new StixContainerScanner(opts);
  const out: Outcome = { elements: [] };
  let from = 0;
  try {
    for (const cut of [...cuts, bytes.length]) {
      for (const e of s.push(bytes.subarray(from, cut))) out.elements.push({ ...e });
      from = cut;
    }
    out.info = s.end();
    out.header = s.header;
  } catch (e) {
    if (!isParleyError(e)) throw e;
    out.error = { code: e.code, message: e.message, details: e.details };
  }
  return out;
}

const everyByte = (n: number): number[] => Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1);

/** Runs whole, one byte at a time, and at every single cut; all must agree. */
function runEveryway(input: string | Uint8Array, opts: ReadStixOptions = {}): Outcome {
  const bytes = bytesOf(input);
  const whole = run(bytes, [], opts);
  assert.deepEqual(run(bytes, everyByte(bytes.length), opts), whole, 'one byte at a time');
  for (let cut = 1; cut < bytes.length; cut++)
    assert.deepEqual(run(bytes, [cut], opts), whole, `cut at ${cut}`);
  return whole;
}

/** Every faulty input checked below, replayed under random chunkings by the last test. */
const errorCases: { input: Uint8Array; opts: ReadStixOptions; expected: Outcome }[] = [];

function expectError(input: string | Uint8Array, code: string, offset: number, opts: ReadStixOptions = {}) {
  const r = runEveryway(input, opts);
  errorCases.push({ input: bytesOf(input), opts, expected: r });
  assert.ok(r.error, `expected ${code} for ${String(input).slice(0, 80)}`);
  assert.equal(r.error.code, code, r.error.message);
  assert.equal((r.error.details as { offset: number }).offset, offset, r.error.message);
  assert.match(r.error.message, new RegExp(`at byte ${offset}\\b`));
  return r.error;
}

const A = '{"type":"indicator","id":"indicator--1","name":"a"}';
const B = '{"type":"malware","id":"malware--2","is_family":true,"n":[1,2.5e3,null,false,{"x":[]}]}';

test('a bundle yields its objects with raw text, offsets and the wrapper properties', () => {
  const text = `{"type":"bundle","id":"bundle--9","objects":[${A},${B}]}`;
  const r = runEveryway(text);
  assert.equal(r.error, undefined);
  assert.deepEqual(
    r.elements.map((e) => [e.index, e.offset, e.raw]),
    [
      [0, text.indexOf(A), A],
      [1, text.indexOf(B), B],
    ],
  );
  assert.deepEqual(
    r.elements.map((e) => e.value),
    [JSON.parse(A), JSON.parse(B)],
  );
  assert.deepEqual(r.header, { type: 'bundle', id: 'bundle--9', form: 'bundle' });
  assert.deepEqual(r.info, {
    type: 'bundle',
    id: 'bundle--9',
    form: 'bundle',
    count: 2,
    bytes: text.length,
    otherProperties: [],
  });
});

test('a TAXII envelope and a bare array are read the same way', () => {
  const env = runEveryway(` {"more" : true , "next":"p2", "objects" : [ ${A} ] }\n`);
  assert.equal(env.elements.length, 1);
  assert.deepEqual(env.header, { more: true, next: 'p2', form: 'object' });
  assert.equal((env.info as { form: string }).form, 'envelope');
  const arr = runEveryway(`\r\n[\t${A} ,\n ${B}\n]\n`);
  assert.deepEqual(
    arr.elements.map((e) => e.raw),
    [A, B],
  );
  assert.deepEqual(arr.header, { form: 'array' });
  assert.equal((arr.info as { form: string }).form, 'array');
  assert.equal(runEveryway('[]').elements.length, 0);
  assert.equal((runEveryway('{}').info as { form: string }).form, 'envelope');
  assert.equal((runEveryway('{"type":"bundle","id":"bundle--1"}').info as { count: number }).count, 0);
  assert.equal((runEveryway('{"type":"bundle","objects":[]}').info as { count: number }).count, 0);
});

test('spec_version before objects is in the header; after objects only in the final info', () => {
  const before = runEveryway(`{"spec_version":"2.0","objects":[${A}],"id":"bundle--1","type":"bundle"}`);
  assert.deepEqual(before.header, { specVersion: '2.0', form: 'object' });
  assert.deepEqual(before.info, {
    specVersion: '2.0',
    id: 'bundle--1',
    type: 'bundle',
    form: 'bundle',
    count: 1,
    bytes: `{"spec_version":"2.0","objects":[${A}],"id":"bundle--1","type":"bundle"}`.length,
    otherProperties: [],
  });
  const after = runEveryway(
    `{"type":"bundle","id":"bundle--1","objects":[${A}],"spec_version":"2.0","x_a":{"b":[1]}}`,
  );
  assert.deepEqual(after.header, { type: 'bundle', id: 'bundle--1', form: 'bundle' });
  assert.equal((after.info as { specVersion: string }).specVersion, '2.0');
  assert.deepEqual((after.info as { otherProperties: string[] }).otherProperties, ['x_a']);
});

test('braces, quotes and escapes inside strings do not end an element', () => {
  const tricky = [
    '{"a":"}"}',
    '{"a":"]","b":"{["}',
    '{"a":"\\\\"}',
    '{"a":"\\\\\\""}',
    '{"a":"\\"}\\""}',
    '{"a":"\\u007d\\u005d\\u0022"}',
    '{"\\"}":"x","k":["}"]}',
    '{"a":"é 日本 😀 ∑","b":"\\ud83d\\ude00"}',
  ];
  const text = `{"type":"bundle","objects":[${tricky.join(',')}]}`;
  const r = runEveryway(text);
  assert.equal(r.error, undefined, r.error?.message);
  assert.deepEqual(
    r.elements.map((e) => e.raw),
    tricky,
  );
  assert.deepEqual(
    r.elements.map((e) => e.value),
    tricky.map((t) => JSON.parse(t)),
  );
  // Offsets count bytes, not characters: the multi-byte element ends later in bytes.
  const last = r.elements[7]!;
  assert.equal(last.offset, Buffer.byteLength(text.slice(0, text.lastIndexOf(tricky[7]!))));
});

test('a UTF-8 byte order mark before the value is skipped', () => {
  const r = runEveryway(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`[${A}]`)]));
  assert.equal(r.elements.length, 1);
  assert.equal(r.elements[0]!.offset, 4);
});

test('truncated input: inside an element, before ] and before }', () => {
  const head = '{"type":"bundle","objects":[';
  const e1 = expectError(`${head}{"type":"x","a":"}`, 'input.truncated', head.length + 18);
  assert.match(e1.message, /inside element 0, which began at byte 28/);
  const e2 = expectError(`${head}${A}`, 'input.truncated', head.length + A.length);
  assert.match(e2.message, /before the '\]' closing the objects array, after 1 elements/);
  expectError(`${head}${A},`, 'input.truncated', head.length + A.length + 1);
  const e3 = expectError(`${head}]`, 'input.truncated', head.length + 1);
  assert.match(e3.message, /before the '\}'/);
  expectError('{"type":"bund', 'input.truncated', 13);
  expectError('[', 'input.truncated', 1);
  expectError('', 'input.empty', 0);
  expectError(' \n\t', 'input.empty', 3);
});

test('syntax errors name the byte offset', () => {
  // Inside an element, located after JSON.parse refused it.
  expectError(`[${A},{"a":1,}]`, 'input.syntax', A.length + 9);
  expectError(`[{"a":tru}]`, 'input.syntax', 9);
  expectError(`[{"é":"x" "b":1}]`, 'input.syntax', 11);
  expectError('[{"a":"line\nbreak"}]', 'input.syntax', 11);
  // Brackets that do not match are caught by the scanner at the closing byte.
  const m = expectError('[{"a":[1}]', 'input.syntax', 8);
  assert.match(m.message, /'\}' closes '\['/);
  // Between elements and in the wrapper.
  expectError(`[${A} ${B}]`, 'input.syntax', A.length + 2);
  expectError(`[${A},]`, 'input.syntax', A.length + 2);
  expectError('{"objects" []}', 'input.syntax', 11);
  expectError('{objects:[]}', 'input.syntax', 1);
  expectError('{"objects":[],}', 'input.syntax', 14);
  expectError('{"more":fals}', 'input.syntax', 12);
});

test('invalid UTF-8 is refused with the offset of the bad byte, also when split across chunks', () => {
  const pre = Buffer.from('[{"a":"ok é ');
  const bad = (tail: number[]) => Buffer.concat([pre, Buffer.from(tail), Buffer.from('"}]')]);
  expectError(bad([0xff]), 'input.invalid_utf8', pre.length);
  expectError(bad([0xc3]), 'input.invalid_utf8', pre.length); // lead byte without continuation
  expectError(bad([0xc0, 0xaf]), 'input.invalid_utf8', pre.length); // overlong '/'
  expectError(bad([0xed, 0xa0, 0x80]), 'input.invalid_utf8', pre.length); // UTF-16 surrogate
  expectError(bad([0xe6, 0x97, 0x41]), 'input.invalid_utf8', pre.length); // cut-short sequence
  expectError(Buffer.from([0x5b, 0x80, 0x5d]), 'input.invalid_utf8', 1);
  expectError(Buffer.from([0xef, 0xbb, 0x5b, 0x5d]), 'input.invalid_utf8', 2);
});

test('a top level that is not a container is refused', () => {
  expectError('"bundle"', 'input.not_stix_container', 0);
  expectError('42', 'input.not_stix_container', 0);
  expectError('null', 'input.not_stix_container', 0);
  const single = expectError('{"type":"indicator","id":"indicator--1"}', 'input.not_stix_container', 8);
  assert.match(single.message, /type "indicator": a single STIX object/);
  expectError('{"name":"x","pattern":"[a]"}', 'input.not_stix_container', 27);
  expectError('{"objects":{"a":1}}', 'input.not_stix_container', 11);
  expectError('{"objects":[],"objects":[]}', 'input.not_stix_container', 24);
  expectError('{"type":"bundle","id":7}', 'input.not_stix_container', 22);
  expectError('{"more":"no"}', 'input.not_stix_container', 8);
  expectError('x', 'input.syntax', 0);
});

test('a bundle inside the objects is refused', () => {
  const inner = '{"type":"bundle","id":"bundle--2","objects":[]}';
  const e = expectError(`{"type":"bundle","objects":[${A},${inner}]}`, 'input.nested_bundle', 29 + A.length);
  assert.equal((e.details as { index: number }).index, 1);
  // "type":"bundle" deeper inside an object is only data.
  assert.equal(runEveryway(`[{"type":"note","x":{"type":"bundle"}}]`).elements.length, 1);
});

test('elements that are not objects are refused at their first byte', () => {
  expectError(`[${A},1]`, 'input.not_an_object', A.length + 2);
  expectError('{"objects":["indicator--1"]}', 'input.not_an_object', 12);
  expectError('[[{"type":"x"}]]', 'input.not_an_object', 1);
  expectError('[null]', 'input.not_an_object', 1);
  expectError('[}]', 'input.syntax', 1);
});

test('an element over the size limit is refused at the first byte past it', () => {
  const big = `{"type":"x","d":"${'a'.repeat(100)}"}`;
  const e = expectError(`[${A},${big}]`, 'input.object_too_large', A.length + 2 + 64, { maxObjectBytes: 64 });
  assert.match(e.message, /limit of 64 bytes/);
  assert.equal(runEveryway(`[${A}]`, { maxObjectBytes: A.length }).elements.length, 1);
  expectError(`[${A}]`, 'input.object_too_large', 1 + A.length - 1, { maxObjectBytes: A.length - 1 });
  // Wrapper properties are bounded too, scalars included.
  assert.equal(runEveryway('{"x":123456,"more":false}', { maxObjectBytes: 6 }).error, undefined);
  expectError('{"x":1234567,"more":false}', 'input.object_too_large', 11, { maxObjectBytes: 6 });
  expectError('{"x":1234567', 'input.object_too_large', 11, { maxObjectBytes: 6 });
  expectError(`{"id":"${'b'.repeat(80)}"}`, 'input.object_too_large', 6 + 64, { maxObjectBytes: 64 });
});

test('nesting deeper than the limit is refused', () => {
  expectError('[{"a":[[[1]]]}]', 'input.too_deep', 8, { maxDepth: 3 });
  assert.equal(runEveryway('[{"a":[[1]]}]', { maxDepth: 3 }).elements.length, 1);
});

test('anything after the top-level value is refused', () => {
  expectError('[] x', 'input.trailing_data', 3);
  expectError('{"objects":[]}{}', 'input.trailing_data', 14);
  expectError(`[${A}]]`, 'input.trailing_data', A.length + 2);
});

test('property: any chunking of a generated bundle gives the same objects as JSON.parse', () => {
  const object = fc
    .dictionary(
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }),
      {
        maxKeys: 5,
      },
    )
    .filter((o) => o.type !== 'bundle');
  const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n ');
  fc.assert(
    fc.property(
      fc.array(object, { maxLength: 6 }),
      space,
      fc.boolean(),
      fc.array(fc.integer({ min: 1, max: 4000 }), { maxLength: 12 }),
      (objects, ws, specFirst, rawCuts) => {
        const spec = `"spec_version"${ws}:${ws}"2.0"`;
        const body = `"objects":${ws}[${ws}${objects.map((o) => JSON.stringify(o, null, ws ? 1 : 0)).join(`${ws},${ws}`)}${ws}]`;
        const text = `${ws}{"type":"bundle",${ws}${specFirst ? `${spec},${body}` : `${body},${spec}`}${ws}}${ws}`;
        const bytes = Buffer.from(text, 'utf8');
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const r = run(bytes, cuts);
        assert.equal(r.error, undefined, r.error?.message);
        assert.deepEqual(
          r.elements.map((e) => e.value),
          JSON.parse(text).objects,
        );
        assert.deepEqual(r, run(bytes));
        assert.equal((r.info as { specVersion: string }).specVersion, '2.0');
      },
    ),
    { numRuns: 300 },
  );
});

test('property: any chunking of a faulty input gives the same error', () => {
  const base = `{"type":"bundle","objects":[${A},{"a":"é😀}","b":[1,{"c":"\\""}]},${B}]}`;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: base.length - 1 }),
      fc.constantFrom('', '}', ']', '"', '\\', ',', 'x', '\xff', '{', '['),
      fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 10 }),
      (at, insert, rawCuts) => {
        const bytes = Buffer.concat([
          Buffer.from(base.slice(0, at)),
          insert === '\xff' ? Buffer.from([0xff]) : Buffer.from(insert),
          Buffer.from(base.slice(at + (insert === '' ? 1 : 0))),
        ]);
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const whole = run(bytes, [], { maxObjectBytes: 60 });
        assert.deepEqual(run(bytes, cuts, { maxObjectBytes: 60 }), whole);
        assert.deepEqual(run(bytes, everyByte(bytes.length), { maxObjectBytes: 60 }), whole);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: random chunkings of every faulty input above give the same outcome', () => {
  assert.ok(errorCases.length > 50);
  for (const { input, opts, expected } of errorCases) {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: Math.max(1, input.length - 1) }), { maxLength: 8 }),
        (raw) => {
          const cuts = [...new Set(raw)].filter((c) => c < input.length).sort((a, b) => a - b);
          assert.deepEqual(run(input, cuts, opts), expected);
        },
      ),
      { numRuns: 40 },
    );
  }
});
