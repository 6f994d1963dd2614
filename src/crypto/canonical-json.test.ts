/**
 * RFC 8785 examples, transcribed from the RFC: section 3.2.2 (the whole transformation),
 * section 3.2.3 (property sorting by UTF-16 code units) and Appendix B (number serialisation).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  canonicalJson,
  canonicalJsonReference,
  decodeJsonPayload,
  encodeJsonPayload,
  parseCanonical,
} from './canonical-json.js';

const ieee754 = (hex: string): number => Buffer.from(hex, 'hex').readDoubleBE(0);

test('RFC 8785 3.2.2: the sample input canonicalises to the RFC output', () => {
  const input =
    '{\n  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
    '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
    '  "literals": [null, true, false]\n}';
  const expected =
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
    '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
  assert.equal(canonicalJson(JSON.parse(input)), expected);
});

test('RFC 8785 3.2.3: properties sort by UTF-16 code units', () => {
  const input =
    '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",' +
    ' "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",' +
    ' "\\u00f6": "Latin Small Letter O With Diaeresis"}';
  // Read the values in text order: a JS object would move the integer-like key "1" first.
  const values = [...canonicalJson(JSON.parse(input)).matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(values, [
    'Carriage Return',
    'One',
    'Control',
    'Latin Small Letter O With Diaeresis',
    'Euro Sign',
    'Emoji: Grinning Face',
    'Hebrew Letter Dalet With Dagesh',
  ]);
});

const APPENDIX_B: [string, string][] = [
  ['0000000000000000', '0'],
  ['8000000000000000', '0'],
  ['0000000000000001', '5e-324'],
  ['8000000000000001', '-5e-324'],
  ['7fefffffffffffff', '1.7976931348623157e+308'],
  ['ffefffffffffffff', '-1.7976931348623157e+308'],
  ['4340000000000000', '9007199254740992'],
  ['c340000000000000', '-9007199254740992'],
  ['4430000000000000', '295147905179352830000'],
  ['44b52d02c7e14af5', '9.999999999999997e+22'],
  ['44b52d02c7e14af6', '1e+23'],
  ['44b52d02c7e14af7', '1.0000000000000001e+23'],
  ['444b1ae4d6e2ef4e', '999999999999999700000'],
  ['444b1ae4d6e2ef4f', '999999999999999900000'],
  ['444b1ae4d6e2ef50', '1e+21'],
  ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
  ['3eb0c6f7a0b5ed8d', '0.000001'],
  ['41b3de4355555553', '333333333.3333332'],
  ['41b3de4355555554', '333333333.33333325'],
  ['41b3de4355555555', '333333333.3333333'],
  ['41b3de4355555556', '333333333.3333334'],
  ['41b3de4355555557', '333333333.33333343'],
  ['becbf647612f3696', '-0.0000033333333333333333'],
  ['43143ff3c1cb0959', '1424953923781206.2'],
];

test('RFC 8785 Appendix B: every number serialisation sample', () => {
  for (const [hex, expected] of APPENDIX_B) assert.equal(canonicalJson(ieee754(hex)), expected, hex);
});

test('RFC 8785 Appendix B / 3.2.2.3: NaN and Infinity are errors', () => {
  assert.throws(() => canonicalJson(ieee754('7fffffffffffffff')));
  assert.throws(() => canonicalJson(ieee754('7ff0000000000000')));
  assert.throws(() => canonicalJson(Number.NEGATIVE_INFINITY));
});

test('lone surrogates are errors (RFC 8785 3.2.2.2 requires well-formed I-JSON strings)', () => {
  assert.throws(() => canonicalJson({ s: '\ud800' }));
});

test('canonicalising twice is a no-op, and canonical bytes parse back as canonical', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const once = canonicalJson(v);
      assert.equal(canonicalJson(JSON.parse(once)), once);
      const parsed = parseCanonical(Buffer.from(once, 'utf8'));
      assert.equal(parsed.ok, true);
    }),
    { numRuns: 300 },
  );
});

test('parseCanonical names why bytes are refused', () => {
  const r = (s: string | Uint8Array) => {
    const p = parseCanonical(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
    return p.ok ? 'ok' : p.reason;
  };
  assert.equal(r('{"a":1,"b":2}'), 'ok');
  assert.equal(r('{"b":2,"a":1}'), 'not_canonical');
  assert.equal(r('{"a": 1}'), 'not_canonical');
  assert.equal(r('{"a":1.0}'), 'not_canonical');
  assert.equal(r('{"a":"\\u0041"}'), 'not_canonical');
  assert.equal(r('{"a":1,"a":1}'), 'not_canonical');
  assert.equal(r('{"a":'), 'json');
  assert.equal(r(Uint8Array.of(0x22, 0xff, 0x22)), 'utf8');
});

test('parseCanonical agrees with canonicalise-and-compare on arbitrary JSON texts', () => {
  const texts = fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => JSON.stringify(v, null, 1)),
    fc.jsonValue().map((v) => canonicalJson(v)),
    fc.dictionary(fc.string(), fc.jsonValue()).map((o) => JSON.stringify(o)),
    fc.constantFrom(
      '{"10":1,"9":2}',
      '{"9":2,"10":1}',
      '"\\ud800"',
      '"\\ud83d\\ude00"',
      '"\\u00e9"',
      '[1e2]',
      '[100]',
    ),
  );
  fc.assert(
    fc.property(texts, (t) => {
      let expected: boolean;
      try {
        expected = canonicalJson(JSON.parse(t)) === t;
      } catch {
        expected = false;
      }
      assert.equal(parseCanonical(Buffer.from(t, 'utf8')).ok, expected, t);
    }),
    { numRuns: 1000 },
  );
});

test('JSON payloads: encode gives RFC 8785 bytes, decode gives the value back', () => {
  const bytes = encodeJsonPayload({ urgency: 'high', body: 'é', n: 1.5 });
  assert.equal(Buffer.from(bytes).toString('utf8'), '{"body":"é","n":1.5,"urgency":"high"}');
  assert.deepEqual(decodeJsonPayload(bytes), { body: 'é', n: 1.5, urgency: 'high' });
  assert.throws(() => decodeJsonPayload(Uint8Array.of(0xff)));
});

test('canonicalJson gives the canonicalize package output, or fails where it fails', () => {
  // UTF-16 units anywhere, lone surrogates included, in keys and values; odd numbers; nesting.
  const str = fc.string({ unit: 'binary' });
  const units = fc.array(fc.integer({ min: 0xd7f0, max: 0xe010 }), { maxLength: 4 });
  const surrogatey = units.map((u) => String.fromCharCode(...u));
  const leaf = fc.oneof(
    str,
    surrogatey,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  );
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, leaf, tie('arr'), tie('obj')),
    arr: fc.array(tie('v'), { maxLength: 4 }),
    obj: fc.dictionary(fc.oneof(str, surrogatey), tie('v'), { maxKeys: 4 }),
  })).v;
  const outcome = (f: () => unknown) => {
    try {
      return { ok: f() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  fc.assert(
    fc.property(value, (v) => {
      assert.deepEqual(
        outcome(() => canonicalJson(v)),
        outcome(() => {
          const s = canonicalJsonReference(v);
          if (s === undefined) throw new TypeError('value has no JSON form');
          return s;
        }),
      );
    }),
    { numRuns: 2000 },
  );
  // toJSON, cycles and a sparse array, as the package treats them.
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const sparse: unknown[] = [1];
  sparse[2] = 3;
  for (const v of [new Date(0), { d: new Date(1), s: Symbol('x') }, sparse, cyclic, [Symbol('y')]]) {
    assert.deepEqual(
      outcome(() => canonicalJson(v)),
      outcome(() => canonicalJsonReference(v)),
    );
  }
});
