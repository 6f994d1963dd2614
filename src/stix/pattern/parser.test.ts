import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isParleyError, type ParleyError } from '../../core/errors.js';
import type { ComparisonExpression, PatternNode } from './ast.js';
import { parsePattern } from './parser.js';
import { printPattern } from './printer.js';

const inside = (p: string): ComparisonExpression => {
  const n = parsePattern(p);
  assert.equal(n.kind, 'observation');
  return (n as PatternNode & { kind: 'observation' }).expression;
};

function error(p: string): ParleyError {
  try {
    parsePattern(p);
  } catch (e) {
    assert.ok(isParleyError(e));
    return e;
  }
  assert.fail(`accepted: ${p}`);
}

describe('pattern parser: grammar', () => {
  it('reads every comparison operator, with and without NOT', () => {
    const ops = ['=', '!=', '<', '<=', '>', '>=', 'IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'];
    for (const op of ops) {
      for (const not of [false, true]) {
        const value = op === 'IN' ? "('a', 'b')" : "'a'";
        const e = inside(`[x:y ${not ? 'NOT ' : ''}${op} ${value}]`);
        assert.equal(e.kind, 'comparison');
        assert.equal(e.kind === 'comparison' && e.op, op);
        assert.equal(e.kind === 'comparison' && e.negated, not);
      }
    }
    assert.deepEqual(inside('[EXISTS x:y]'), {
      kind: 'exists',
      negated: false,
      path: { objectType: 'x', steps: [{ kind: 'key', key: 'y' }] },
    });
    assert.deepEqual(inside('[NOT EXISTS x:y]'), {
      kind: 'exists',
      negated: true,
      path: { objectType: 'x', steps: [{ kind: 'key', key: 'y' }] },
    });
  });

  it('reads == as = and <> as !=', () => {
    assert.deepEqual(inside('[x:y == 1]'), inside('[x:y = 1]'));
    assert.deepEqual(inside('[x:y <> 1]'), inside('[x:y != 1]'));
  });

  it('binds AND tighter than OR inside brackets, and flattens chains', () => {
    const e = inside('[a:b = 1 OR a:c = 2 AND a:d = 3 OR a:e = 4]');
    assert.equal(e.kind, 'or');
    const ops = (e as ComparisonExpression & { kind: 'or' }).operands;
    assert.deepEqual(
      ops.map((o) => o.kind),
      ['comparison', 'and', 'comparison'],
    );
    assert.deepEqual(inside('[(a:b = 1 OR a:c = 2) OR a:d = 3]'), inside('[a:b = 1 OR a:c = 2 OR a:d = 3]'));
  });

  it('orders FOLLOWEDBY < OR < AND between observations; qualifiers bind to one observation expression', () => {
    const p = parsePattern('[a:b = 1] AND [a:b = 2] OR [a:b = 3] FOLLOWEDBY [a:b = 4] WITHIN 5 SECONDS');
    assert.equal(p.kind, 'followedby');
    const [left, right] = (p as PatternNode & { kind: 'followedby' }).operands;
    assert.equal(left!.kind, 'or');
    assert.equal((left as PatternNode & { kind: 'or' }).operands[0]!.kind, 'and');
    assert.equal(right!.kind, 'qualified');
    const grouped = parsePattern('([a:b = 1] FOLLOWEDBY [a:b = 2]) WITHIN 5 SECONDS');
    assert.equal(grouped.kind === 'qualified' && grouped.expression.kind, 'followedby');
  });

  it('reads qualifiers in order, innermost first', () => {
    const p = parsePattern(
      "[a:b = 1] REPEATS 5 TIMES WITHIN 1.5 SECONDS START t'2020-01-01T00:00:00Z' STOP t'2020-01-02T00:00:00.5Z'",
    );
    assert.equal(p.kind, 'qualified');
    const q = p as PatternNode & { kind: 'qualified' };
    assert.deepEqual(q.qualifier, {
      kind: 'start-stop',
      start: '2020-01-01T00:00:00Z',
      stop: '2020-01-02T00:00:00.5Z',
    });
    const within = q.expression as PatternNode & { kind: 'qualified' };
    assert.deepEqual(within.qualifier, { kind: 'within', seconds: 1.5 });
    assert.deepEqual((within.expression as PatternNode & { kind: 'qualified' }).qualifier, {
      kind: 'repeats',
      times: 5,
    });
  });

  it('reads every literal', () => {
    const lit = (text: string) => {
      const e = inside(`[x:y = ${text}]`);
      return e.kind === 'comparison' ? e.value : null;
    };
    assert.deepEqual(lit("'it\\'s a \\\\ path'"), { type: 'string', value: "it's a \\ path" });
    assert.deepEqual(lit('42'), { type: 'integer', value: 42 });
    assert.deepEqual(lit('+42'), { type: 'integer', value: 42 });
    assert.deepEqual(lit('-42'), { type: 'integer', value: -42 });
    assert.deepEqual(lit('-0'), { type: 'integer', value: 0 });
    assert.deepEqual(lit('7.25'), { type: 'float', value: 7.25 });
    assert.deepEqual(lit('.5'), { type: 'float', value: 0.5 });
    assert.deepEqual(lit('-.5'), { type: 'float', value: -0.5 });
    assert.deepEqual(lit('true'), { type: 'boolean', value: true });
    assert.deepEqual(lit('false'), { type: 'boolean', value: false });
    assert.deepEqual(lit("t'2016-12-31T23:59:60.123456Z'"), {
      type: 'timestamp',
      value: '2016-12-31T23:59:60.123456Z',
    });
    assert.deepEqual(lit("h'FFd8'"), { type: 'hex', value: 'ffd8' });
    assert.deepEqual(lit("h''"), { type: 'hex', value: '' });
    assert.deepEqual(lit("b'AAE='"), { type: 'binary', value: 'AAE=' });
    assert.deepEqual(inside('[x:y IN ()]'), {
      kind: 'comparison',
      op: 'IN',
      negated: false,
      value: [],
      path: { objectType: 'x', steps: [{ kind: 'key', key: 'y' }] },
    });
  });

  it('reads object paths: quoted keys, list steps, extensions, custom and hyphenated types', () => {
    const e = inside("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]");
    assert.equal(e.kind, 'comparison');
    assert.deepEqual(e.kind === 'comparison' && e.path, {
      objectType: 'file',
      steps: [
        { kind: 'key', key: 'extensions' },
        { kind: 'key', key: 'windows-pebinary-ext' },
        { kind: 'key', key: 'sections' },
        { kind: 'any' },
        { kind: 'key', key: 'entropy' },
      ],
    });
    const f = inside("[x-acme-thing:'first key'[0][-1].y = 1]");
    assert.deepEqual(f.kind === 'comparison' && f.path.steps, [
      { kind: 'key', key: 'first key' },
      { kind: 'index', index: 0 },
      { kind: 'index', index: -1 },
      { kind: 'key', key: 'y' },
    ]);
  });

  it('skips whitespace and comments', () => {
    const p = "/* lead */ [ file:name\n\t= 'a' // rest of line\n ]\u00a0AND\u2003[file:size > 1]";
    assert.equal(printPattern(parsePattern(p)), "[file:name = 'a'] AND [file:size > 1]");
  });
});

describe('pattern parser: errors', () => {
  it('treats keywords as case-sensitive', () => {
    const e = error('[a:b = 1] and [c:d = 2]');
    assert.equal(e.code, 'pattern.syntax');
    assert.deepEqual([e.details.line, e.details.column, e.details.found], [1, 10, 'and']);
    assert.equal(error('[a:b = TRUE]').details.found, 'TRUE');
    assert.equal(error('[a:b = 1] within 5 seconds').details.column, 10);
  });

  it('counts lines from 1 and columns from 0', () => {
    const e = error('[a:b = 1]\nAND\n  [c:d ~ 2]');
    assert.deepEqual([e.details.line, e.details.column, e.details.offset], [3, 7, 21]);
    assert.match(e.message, /^Error found at line 3:7\./);
  });

  it('says what it expected', () => {
    assert.deepEqual(error('[a:b = 1').details.expected, ["'AND'", "'OR'", "']'"]);
    assert.equal(error('[a:b = 1').details.found, '');
    assert.deepEqual((error('[a:b NOT EXISTS]').details.expected as string[]).includes("'='"), true);
    assert.deepEqual(error('[a:b[x] = 1]').details.expected, ['IntPosLiteral', 'IntNegLiteral', "'*'"]);
    assert.deepEqual(error('[a:b-c = 1]').details.expected, ['IdentifierWithoutHyphen', 'StringLiteral']);
    assert.deepEqual((error('[a:b > true]').details.expected as string[]).includes('BoolLiteral'), false);
    assert.deepEqual(error('[a:b LIKE 1]').details.expected, ['StringLiteral']);
    assert.deepEqual(error('[a:b = 1] REPEATS 1.5 TIMES').details.expected, ['IntPosLiteral']);
    assert.deepEqual(error("[a:b = 1] START '2020-01-01T00:00:00Z'").details.expected, ['TimestampLiteral']);
  });

  it('rejects bad literals where they start', () => {
    assert.equal(error("[a:b = 'unterminated]").details.column, 7);
    assert.match(error("[a:b = 'bad \\d escape']").message, /may be escaped/);
    assert.equal(error("[a:b = h'abc']").details.column, 7);
    assert.equal(error("[a:b = b'AA']").details.column, 7);
    assert.equal(error("[a:b = b'']").details.column, 7);
    assert.equal(error("[a:b = t'2020-01-01T00:00:00.Z']").details.column, 7);
    assert.equal(error("[a:b = t'2020-01-01t00:00:00Z']").details.column, 7);
  });

  it('rejects hashes of the wrong form, and duplicate qualifiers on one observation', () => {
    assert.equal(error("[file:hashes.MD5 = 'abc']").code, 'pattern.invalid_hash');
    assert.equal(
      error("[file:hashes.'SHA-1' IN ('da39a3ee5e6b4b0d3255bfef95601890afd80709', 'x')]").code,
      'pattern.invalid_hash',
    );
    assert.doesNotThrow(() =>
      parsePattern("[file:hashes.'SHA-1' = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709']"),
    );
    assert.doesNotThrow(() => parsePattern("[file:hashes.'x-custom' = 'abc']"));
    assert.equal(
      error('[a:b = 1] REPEATS 2 TIMES WITHIN 1 SECONDS REPEATS 3 TIMES').code,
      'pattern.duplicate_qualifier',
    );
    assert.doesNotThrow(() => parsePattern('([a:b = 1] REPEATS 2 TIMES) REPEATS 3 TIMES'));
  });

  it('limits parenthesis nesting, so deep input cannot exhaust the stack', () => {
    const deep = (n: number) => `${'('.repeat(n)}[a:b = 1]${')'.repeat(n)}`;
    assert.doesNotThrow(() => parsePattern(deep(100)));
    const e = error(deep(5000));
    assert.equal(e.code, 'pattern.syntax');
    assert.equal(e.details.column, 100);
    assert.match(e.message, /nested deeper than 100/);
    assert.equal(error(`[${'('.repeat(101)}a:b = 1${')'.repeat(101)}]`).details.column, 101);
    assert.equal(error(42 as unknown as string).code, 'pattern.syntax');
  });

  it('rejects trailing input and empty input', () => {
    assert.deepEqual(error('').details.expected, ["'['", "'('"]);
    assert.equal(error('[a:b = 1]]').details.column, 9);
    assert.equal(error('([a:b = 1]').details.found, '');
  });
});
