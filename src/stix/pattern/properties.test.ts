/**
 * Properties over random input: the printer is the parser's inverse (random trees print to text that
 * parses back to the same tree, and print . parse is idempotent); the parser and the evaluator fail
 * only with ParleyErrors, whatever they are given.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sharedData } from '../../../test/support/shared-data.js';
import { isParleyError } from '../../core/errors.js';
import type {
  Comparison,
  ComparisonExpression,
  Literal,
  ObjectPath,
  PathStep,
  PatternNode,
  Qualifier,
} from './ast.js';
import type { Observation } from './evaluator/observations.js';
import { matchPattern } from './match.js';
import { parsePattern } from './parser.js';
import { printPattern } from './printer.js';
import { isKeyword } from './tokens.js';

const notKeyword = (s: string) => !isKeyword(s);
const objectType = fc.oneof(
  fc.constantFrom('file', 'ipv4-addr', 'network-traffic', 'x-usb-device', 'user-account'),
  fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,12}$/).filter(notKeyword),
);
// 'hashes' is left out: a hash key would make the validator check the value's form.
const key = fc
  .oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/), fc.string({ unit: 'binary', maxLength: 12 }))
  .filter((k) => k !== 'hashes');
const step: fc.Arbitrary<PathStep> = fc.oneof(
  key.map((k) => ({ kind: 'key' as const, key: k })),
  fc.integer({ min: -1000, max: 1000 }).map((i) => ({ kind: 'index' as const, index: i === 0 ? 0 : i })),
  fc.constant({ kind: 'any' as const }),
);
const path: fc.Arbitrary<ObjectPath> = fc
  .tuple(objectType, key, fc.array(step, { maxLength: 4 }))
  .map(([t, k, rest]) => ({ objectType: t, steps: [{ kind: 'key', key: k }, ...rest] }));

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const timestamp = fc
  .tuple(
    fc.date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
  )
  .map(([d, frac]) => {
    const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    return `${base}${frac === undefined ? '' : `.${frac}`}Z`;
  });

const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));
const literal: fc.Arbitrary<Literal> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }).map((value) => ({ type: 'string' as const, value })),
  fc.maxSafeInteger().map((v) => ({ type: 'integer' as const, value: v === 0 ? 0 : v })),
  finite.map((value) => ({ type: 'float' as const, value })),
  fc.boolean().map((value) => ({ type: 'boolean' as const, value })),
  timestamp.map((value) => ({ type: 'timestamp' as const, value })),
  fc
    .uint8Array({ maxLength: 8 })
    .map((b) => ({ type: 'hex' as const, value: Buffer.from(b).toString('hex') })),
  fc
    .uint8Array({ minLength: 1, maxLength: 8 })
    .map((b) => ({ type: 'binary' as const, value: Buffer.from(b).toString('base64') })),
);
const str = fc.string({ unit: 'binary', maxLength: 20 }).map((value) => ({ type: 'string' as const, value }));

const comparison: fc.Arbitrary<ComparisonExpression> = fc
  .oneof(
    fc.record({
      path,
      negated: fc.boolean(),
      op: fc.constantFrom('=' as const, '!=' as const),
      value: literal,
    }),
    fc.record({
      path,
      negated: fc.boolean(),
      op: fc.constantFrom('<' as const, '<=' as const, '>' as const, '>=' as const),
      value: literal.filter((l) => l.type !== 'boolean') as fc.Arbitrary<
        Exclude<Literal, { type: 'boolean' }>
      >,
    }),
    fc.record({
      path,
      negated: fc.boolean(),
      op: fc.constant('IN' as const),
      value: fc.array(literal, { maxLength: 4 }),
    }),
    fc.record({
      path,
      negated: fc.boolean(),
      op: fc.constantFrom('LIKE' as const, 'MATCHES' as const, 'ISSUBSET' as const, 'ISSUPERSET' as const),
      value: str,
    }),
  )
  .map((c) => ({ kind: 'comparison', ...c }) as Comparison);
const exists = fc.record({ path, negated: fc.boolean() }).map((e) => ({ kind: 'exists' as const, ...e }));

const { cmp } = fc.letrec<{ cmp: ComparisonExpression }>((tie) => ({
  cmp: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    exists,
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      operands: fc.array(tie('cmp'), { minLength: 2, maxLength: 3 }),
    }),
  ),
}));

const qualifier: fc.Arbitrary<Qualifier> = fc.oneof(
  fc
    .oneof(fc.nat(), fc.double({ min: 0, max: 1e7, noNaN: true }))
    .map((s) => ({ kind: 'within' as const, seconds: s === 0 ? 0 : s })),
  fc.nat().map((times) => ({ kind: 'repeats' as const, times })),
  fc.tuple(timestamp, timestamp).map(([start, stop]) => ({ kind: 'start-stop' as const, start, stop })),
);

const { node } = fc.letrec<{ node: PatternNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    cmp.map((expression) => ({ kind: 'observation' as const, expression })),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const, 'followedby' as const),
      operands: fc.array(tie('node'), { minLength: 2, maxLength: 3 }),
    }),
    fc.record({ kind: fc.constant('qualified' as const), expression: tie('node'), qualifier }),
  ),
}));

/** The parser's canonical shape: n-ary operators hold no operand of their own kind. */
function flat<N extends { kind: string }>(kind: string, operands: readonly N[], f: (n: N) => N): N[] {
  return operands
    .map(f)
    .flatMap((o) => (o.kind === kind ? (o as unknown as { operands: N[] }).operands : [o]));
}
function normCmp(e: ComparisonExpression): ComparisonExpression {
  return e.kind === 'and' || e.kind === 'or'
    ? { kind: e.kind, operands: flat(e.kind, e.operands, normCmp) }
    : e;
}
function normalize(n: PatternNode): PatternNode {
  switch (n.kind) {
    case 'observation':
      return { kind: 'observation', expression: normCmp(n.expression) };
    case 'qualified':
      return { kind: 'qualified', expression: normalize(n.expression), qualifier: n.qualifier };
    default:
      return { kind: n.kind, operands: flat(n.kind, n.operands, normalize) };
  }
}

describe('pattern printer', () => {
  it('prints random trees to text that parses back to the same tree', () => {
    fc.assert(
      fc.property(node, (n) => {
        const ast = normalize(n);
        const text = printPattern(ast);
        assert.deepStrictEqual(parsePattern(text), ast, text);
        assert.equal(printPattern(parsePattern(text)), text);
      }),
      { numRuns: 1000 },
    );
  });

  it('is stable on the reference patterns: parse(print(parse(p))) = parse(p)', () => {
    const cases = JSON.parse(
      readFileSync(sharedData('cti-pattern-validator', 'pattern_cases.json'), 'utf8'),
    ).v21;
    const patterns: string[] = [
      ...cases.SPEC_EXAMPLES,
      ...cases.PASS_CASES,
      ...Object.values(cases.INSPECTOR as Record<string, { pattern: string }[]>).flatMap((l) =>
        l.map((c) => c.pattern),
      ),
    ];
    for (const p of patterns) {
      const ast = parsePattern(p);
      const text = printPattern(ast);
      assert.deepStrictEqual(parsePattern(text), ast, p);
      assert.equal(printPattern(parsePattern(text)), text);
    }
  });

  it('prints a canonical form', () => {
    const cases: [string, string][] = [
      [
        "[file:hashes.'MD5' == 'cead3f77f6cda6ec00f57d76c9a6879f']",
        "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']",
      ],
      ['[a:b<>1 AND (a:c = 2 OR a:d = 3)]', '[a:b != 1 AND (a:c = 2 OR a:d = 3)]'],
      ["[a:'AND' = +1.50]", "[a:'AND' = 1.5]"],
      ['[a:b = 1] FOLLOWEDBY ([a:b = 2] OR [a:b = 3])', '[a:b = 1] FOLLOWEDBY [a:b = 2] OR [a:b = 3]'],
      ['([a:b = 1] FOLLOWEDBY [a:b = 2]) OR [a:b = 3]', '([a:b = 1] FOLLOWEDBY [a:b = 2]) OR [a:b = 3]'],
      ['(([a:b = 1]))', '[a:b = 1]'],
      ['([a:b = 1] AND [a:b = 2]) REPEATS 2 TIMES', '([a:b = 1] AND [a:b = 2]) REPEATS 2 TIMES'],
      ['([a:b = 1]) WITHIN 1 SECONDS WITHIN 2.0 SECONDS', '([a:b = 1] WITHIN 1 SECONDS) WITHIN 2 SECONDS'],
      ["[a:b = 'it''s']".replace("''", "\\'"), "[a:b = 'it\\'s']"],
      ['[a:b = 1e]'.replace('1e', '100000000000000000000000'), '[a:b = 100000000000000000000000]'],
    ];
    for (const [input, output] of cases) assert.equal(printPattern(parsePattern(input)), output);
  });
});

describe('pattern parser and evaluator on arbitrary input', () => {
  const seeds = [
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
    "([a:b[*].'c-d' NOT IN (1, 2.5, t'2020-01-01T00:00:00Z')] FOLLOWEDBY [x:y LIKE 'a%']) WITHIN 5 SECONDS",
    "[a:b = h'ff' OR EXISTS a:c] REPEATS 2 TIMES START t'2020-01-01T00:00:00Z' STOP t'2021-01-01T00:00:00Z'",
  ];
  const mutated = fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.nat(),
      fc.nat({ max: 5 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    )
    .map(([s, at, cut, insert]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + insert + s.slice(i + cut);
    });

  it('parses or throws a ParleyError with a position, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), mutated), (text) => {
        try {
          parsePattern(text);
        } catch (e) {
          assert.ok(isParleyError(e), String(e));
          assert.equal(typeof e.details.line, 'number');
          assert.ok((e.details.offset as number) <= text.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  const t = '2024-05-01T12:00:00Z';
  const observations: Observation[] = [
    {
      first_observed: t,
      last_observed: t,
      number_observed: 2,
      objects: [
        {
          type: 'file',
          id: 'file--1',
          name: 'a',
          size: 3,
          hashes: { MD5: 'x' },
          list: [1, 'a', null, { b: 2 }],
          parent_ref: 'file--2',
        },
        { type: 'file', id: 'file--2', name: 'b', payload_bin: 'AAE=', data_hex: 'ff00' },
        { type: 'ipv4-addr', value: '10.0.0.1' },
      ],
    },
    {
      first_observed: t,
      last_observed: '2024-05-01T12:05:00Z',
      objects: [{ type: 'ipv4-addr', value: '10.0.0.0/8' }],
    },
  ];

  it('evaluates any tree without throwing, except for the step budget', () => {
    fc.assert(
      fc.property(node, (n) => {
        try {
          const r = matchPattern(normalize(n), observations, { maxSteps: 20_000, maxBindings: 3 });
          assert.equal(r.matched, r.bindings.length > 0);
        } catch (e) {
          assert.ok(isParleyError(e) && e.code === 'pattern.too_complex', String(e));
        }
      }),
      { numRuns: 500 },
    );
  });
});
