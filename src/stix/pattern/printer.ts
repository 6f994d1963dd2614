/**
 * Canonical text of a pattern: single spaces, `=` and `!=` (never `==`/`<>`), bare keys where the
 * grammar allows them and quoted keys elsewhere, and parentheses only where the tree needs them.
 * `parsePattern(printPattern(ast))` gives back `ast` for any tree the parser can produce.
 */
import type { ComparisonExpression, Literal, ObjectPath, PatternNode, Qualifier } from './ast.js';
import { formatFloat, formatInteger, quoteString } from './literals.js';
import { isKeyword } from './tokens.js';

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

const key = (k: string) => (BARE_KEY.test(k) && !isKeyword(k) ? k : quoteString(k));

export function printPath(path: ObjectPath): string {
  let out = `${path.objectType}:`;
  path.steps.forEach((step, i) => {
    if (step.kind === 'key') out += i === 0 ? key(step.key) : `.${key(step.key)}`;
    else if (step.kind === 'index') out += `[${formatInteger(step.index)}]`;
    else out += '[*]';
  });
  return out;
}

export function printLiteral(lit: Literal): string {
  switch (lit.type) {
    case 'string':
      return quoteString(lit.value);
    case 'integer':
      return formatInteger(lit.value);
    case 'float':
      return formatFloat(lit.value);
    case 'boolean':
      return lit.value ? 'true' : 'false';
    case 'timestamp':
      return `t'${lit.value}'`;
    case 'hex':
      return `h'${lit.value}'`;
    case 'binary':
      return `b'${lit.value}'`;
  }
}

/** Print the inside of an observation's brackets. */
export function printComparisons(e: ComparisonExpression): string {
  switch (e.kind) {
    case 'exists':
      return `${e.negated ? 'NOT ' : ''}EXISTS ${printPath(e.path)}`;
    case 'comparison': {
      const value = e.op === 'IN' ? `(${e.value.map(printLiteral).join(', ')})` : printLiteral(e.value);
      return `${printPath(e.path)} ${e.negated ? 'NOT ' : ''}${e.op} ${value}`;
    }
    case 'and':
      return e.operands
        .map((o) => (o.kind === 'or' ? `(${printComparisons(o)})` : printComparisons(o)))
        .join(' AND ');
    case 'or':
      return e.operands
        .map((o) => (o.kind === 'or' ? `(${printComparisons(o)})` : printComparisons(o)))
        .join(' OR ');
  }
}

function printQualifier(q: Qualifier): string {
  switch (q.kind) {
    case 'within':
      return `WITHIN ${Number.isInteger(q.seconds) ? formatInteger(q.seconds) : formatFloat(q.seconds)} SECONDS`;
    case 'repeats':
      return `REPEATS ${formatInteger(q.times)} TIMES`;
    case 'start-stop':
      return `START t'${q.start}' STOP t'${q.stop}'`;
  }
}

/** Looser binds lower: FOLLOWEDBY < OR < AND < a single (qualified) observation expression. */
const PRECEDENCE: Record<PatternNode['kind'], number> = {
  followedby: 1,
  or: 2,
  and: 3,
  qualified: 4,
  observation: 4,
};
const JOINER = { followedby: ' FOLLOWEDBY ', or: ' OR ', and: ' AND ' } as const;

/**
 * Whether the qualifier chain under a qualifier of kind `kind` already holds that kind and rests on a
 * bracketed observation: the grammar check (as the OASIS validator applies it) forbids that unless the
 * inner part is parenthesised.
 */
function repeatsKind(e: PatternNode, kind: Qualifier['kind']): boolean {
  let found = false;
  let cur = e;
  while (cur.kind === 'qualified') {
    if (cur.qualifier.kind === kind) found = true;
    cur = cur.expression;
  }
  return found && cur.kind === 'observation';
}

/** Canonical text of a pattern. @example printPattern(parsePattern("[a:b=1]")) === "[a:b = 1]" */
export function printPattern(node: PatternNode): string {
  switch (node.kind) {
    case 'observation':
      return `[${printComparisons(node.expression)}]`;
    case 'qualified': {
      const inner = node.expression;
      const text = printPattern(inner);
      const wrap =
        (inner.kind !== 'observation' && inner.kind !== 'qualified') ||
        repeatsKind(inner, node.qualifier.kind);
      return `${wrap ? `(${text})` : text} ${printQualifier(node.qualifier)}`;
    }
    default: {
      const p = PRECEDENCE[node.kind];
      return node.operands
        .map((o) => (PRECEDENCE[o.kind] <= p ? `(${printPattern(o)})` : printPattern(o)))
        .join(JOINER[node.kind]);
    }
  }
}
