/**
 * The parser against the OASIS pattern validator's cases (../shared/data/cti-pattern-validator):
 * the STIX 2.1 spec examples, its pass and fail cases with the error positions it reports, its
 * timestamp cases, and its inspector's view of comparisons, qualifiers and operators.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sharedData } from '../../../test/support/shared-data.js';
import { isParleyError } from '../../core/errors.js';
import type { ComparisonExpression, PatternNode, Qualifier } from './ast.js';
import { parsePattern } from './parser.js';
import { printLiteral, printPattern } from './printer.js';

interface FailCase {
  pattern: string;
  expected_error_prefix: string;
}
interface Cases {
  FAIL_CASES: FailCase[];
  PASS_CASES: string[];
  SPEC_EXAMPLES: string[];
  TIMESTAMP_PASS_CASES: string[];
  TIMESTAMP_FAIL_CASES: FailCase[];
  INSPECTOR: {
    test_qualifiers: { pattern: string; expected: string[] }[];
    test_observation_ops: { pattern: string; expected: string[] }[];
    test_comparisons: {
      pattern: string;
      expected: Record<string, [(string | number)[], string, string][]>;
    }[];
  };
}

const cases: Cases = JSON.parse(
  readFileSync(sharedData('cti-pattern-validator', 'pattern_cases.json'), 'utf8'),
).v21;
const specExamples = readFileSync(sharedData('cti-pattern-validator', 'spec_examples_v21.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');

function rejection(pattern: string) {
  try {
    parsePattern(pattern);
  } catch (e) {
    assert.ok(isParleyError(e), `not a ParleyError: ${e}`);
    return e;
  }
  assert.fail(`accepted: ${pattern}`);
}

describe('pattern parser: OASIS reference cases', () => {
  it('parses the 23 STIX 2.1 spec examples', () => {
    assert.equal(specExamples.length, 23);
    for (const p of specExamples) assert.doesNotThrow(() => parsePattern(p), p);
    assert.deepEqual(cases.SPEC_EXAMPLES, specExamples);
  });

  it('parses every pass case', () => {
    assert.equal(cases.PASS_CASES.length, 26);
    for (const p of cases.PASS_CASES) assert.doesNotThrow(() => parsePattern(p), p);
  });

  it('rejects every fail case, at the line:column the OASIS validator reports', () => {
    assert.equal(cases.FAIL_CASES.length, 17);
    let positioned = 0;
    for (const c of cases.FAIL_CASES) {
      const e = rejection(c.pattern);
      const at = /line (\d+):(\d+)/.exec(c.expected_error_prefix);
      if (at) {
        positioned++;
        assert.equal(e.code, 'pattern.syntax', c.pattern);
        assert.deepEqual([e.details.line, e.details.column], [Number(at[1]), Number(at[2])], c.pattern);
        assert.ok(e.message.startsWith(`Error found at line ${at[1]}:${at[2]}.`), e.message);
      } else {
        // "FAIL: <message>": the same message, after our position prefix.
        const msg = c.expected_error_prefix.replace(/^FAIL: /, '');
        assert.ok(e.message.endsWith(msg), `${e.message} / ${msg}`);
        assert.match(e.code, /^pattern\.(invalid_hash|duplicate_qualifier)$/);
      }
    }
    assert.equal(positioned, 13);
  });

  it('reports what was expected, as the OASIS validator names tokens', () => {
    const byPrefix = (p: string) => cases.FAIL_CASES.find((c) => c.pattern.startsWith(p))!.pattern;
    assert.deepEqual(rejection(byPrefix('[file:name MATCHES /')).details.expected, ['StringLiteral']);
    assert.deepEqual(
      rejection(byPrefix("[win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] WITHIN ]")).details
        .expected,
      ['IntPosLiteral', 'FloatPosLiteral'],
    );
    const hours = rejection(
      byPrefix("[win-registry-key:key = 'hkey_local_machine\\\\foo\\\\bar'] WITHIN 5 HOURS"),
    );
    assert.deepEqual(hours.details.expected, ["'SECONDS'"]);
    assert.equal(hours.details.found, 'HOURS');
    assert.ok((rejection('[foo:bar=1] within 2 seconds').details.expected as string[]).includes('<EOF>'));
  });

  it('parses every timestamp pass case (fields checked by range, as the OASIS grammar does)', () => {
    assert.ok(cases.TIMESTAMP_PASS_CASES.length > 0);
    for (const p of cases.TIMESTAMP_PASS_CASES) assert.doesNotThrow(() => parsePattern(p), p);
    assert.doesNotThrow(() => parsePattern("[x:created = t'2024-02-30T12:00:00Z']"));
    assert.throws(() => parsePattern("[x:created = t'2024-02-32T12:00:00Z']"), /day 32 is out of range/);
  });

  it('rejects the timestamp fail cases at the literal', () => {
    for (const c of cases.TIMESTAMP_FAIL_CASES) {
      const e = rejection(c.pattern);
      assert.equal(e.code, 'pattern.syntax');
      assert.deepEqual([e.details.line, e.details.column], [1, 13], c.pattern);
    }
  });
});

function qualifiers(n: PatternNode, out: Qualifier[] = []): Qualifier[] {
  if (n.kind === 'qualified') {
    out.push(n.qualifier);
    qualifiers(n.expression, out);
  } else if (n.kind !== 'observation') for (const o of n.operands) qualifiers(o, out);
  return out;
}

function operators(n: PatternNode, out = new Set<string>()): Set<string> {
  if (n.kind === 'qualified') operators(n.expression, out);
  else if (n.kind !== 'observation') {
    out.add(n.kind.toUpperCase());
    for (const o of n.operands) operators(o, out);
  }
  return out;
}

type Row = [(string | number)[], string, string];
function comparisons(n: PatternNode, out: Record<string, Row[]> = {}): Record<string, Row[]> {
  const walk = (e: ComparisonExpression) => {
    if (e.kind === 'and' || e.kind === 'or') e.operands.forEach(walk);
    else if (e.kind === 'comparison') {
      const path = e.path.steps.map((s) => (s.kind === 'key' ? s.key : s.kind === 'index' ? s.index : '*'));
      const value = e.op === 'IN' ? `(${e.value.map(printLiteral).join(',')})` : printLiteral(e.value);
      const rows = out[e.path.objectType] ?? [];
      rows.push([path, `${e.negated ? 'NOT ' : ''}${e.op}`, value]);
      out[e.path.objectType] = rows;
    }
  };
  if (n.kind === 'observation') walk(n.expression);
  else if (n.kind === 'qualified') comparisons(n.expression, out);
  else for (const o of n.operands) comparisons(o, out);
  return out;
}

describe('pattern parser: the OASIS inspector view', () => {
  it('finds the same qualifiers', () => {
    for (const c of cases.INSPECTOR.test_qualifiers) {
      const found = qualifiers(parsePattern(c.pattern)).map((q) => {
        const printed = printPattern({
          kind: 'qualified',
          qualifier: q,
          expression: {
            kind: 'observation',
            expression: {
              kind: 'exists',
              negated: false,
              path: { objectType: 'a', steps: [{ kind: 'key', key: 'b' }] },
            },
          },
        });
        return printed.slice('[EXISTS a:b] '.length);
      });
      assert.deepEqual([...new Set(found)].sort(), [...c.expected].sort(), c.pattern);
    }
  });

  it('finds the same observation operators', () => {
    for (const c of cases.INSPECTOR.test_observation_ops) {
      assert.deepEqual([...operators(parsePattern(c.pattern))].sort(), [...c.expected].sort(), c.pattern);
    }
  });

  it('finds the same comparisons per object type', () => {
    for (const c of cases.INSPECTOR.test_comparisons) {
      assert.deepEqual(comparisons(parsePattern(c.pattern)), c.expected, c.pattern);
    }
  });
});
