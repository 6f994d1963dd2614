/**
 * What an index can use from a pattern: the plain equality, IN and ISSUBSET tests. Matching an
 * indicator against a stream of SCOs by lookup (value -> indicators) needs, for every observation
 * expression, a set of tests of which at least one must hold; when the pattern is nothing more than
 * one or several such observation expressions joined by OR, the lookup is the whole answer and the
 * evaluator need not run.
 */
import type { ComparisonExpression, Literal, PathStep, PatternNode } from './ast.js';
import { printPath } from './printer.js';

export interface IndexableComparison {
  objectType: string;
  path: readonly PathStep[];
  /** The path after the type as the printer writes it (`hashes.'SHA-256'`): a stable index key. */
  property: string;
  op: '=' | 'IN' | 'ISSUBSET';
  /** One literal for `=` and ISSUBSET (a CIDR string), the set for IN. */
  values: readonly Literal[];
}

export interface IndexableObservation {
  /**
   * Tests of which at least one holds whenever this observation expression matches, or null when no
   * such set exists (e.g. `[file:name LIKE 'a%' OR file:size = 3]`: the LIKE branch needs no index hit).
   */
  comparisons: IndexableComparison[] | null;
  /** Whether the observation expression matches exactly when one of `comparisons` holds. */
  exact: boolean;
}

export interface IndexablePattern {
  /** One entry per bracketed observation expression, in the order they appear in the pattern. */
  observations: IndexableObservation[];
  /**
   * True when the pattern is one observation expression, or several joined by OR, without qualifiers,
   * each exact: then "some index test holds" is the same as "the pattern matches".
   */
  fullyCovered: boolean;
}

function fromComparisons(e: ComparisonExpression): IndexableObservation {
  switch (e.kind) {
    case 'exists':
      return { comparisons: null, exact: false };
    case 'comparison': {
      if (e.negated || (e.op !== '=' && e.op !== 'IN' && e.op !== 'ISSUBSET'))
        return { comparisons: null, exact: false };
      const values = e.op === 'IN' ? e.value : [e.value];
      const property = printPath(e.path).slice(e.path.objectType.length + 1);
      return {
        comparisons: [{ objectType: e.path.objectType, path: e.path.steps, property, op: e.op, values }],
        exact: true,
      };
    }
    case 'or': {
      const parts = e.operands.map(fromComparisons);
      if (parts.some((p) => p.comparisons === null)) return { comparisons: null, exact: false };
      return { comparisons: parts.flatMap((p) => p.comparisons!), exact: parts.every((p) => p.exact) };
    }
    case 'and': {
      // Any operand's tests are necessary; the smallest set is the most selective lookup.
      let best: IndexableComparison[] | null = null;
      for (const p of e.operands.map(fromComparisons)) {
        if (p.comparisons && (best === null || p.comparisons.length < best.length)) best = p.comparisons;
      }
      return { comparisons: best, exact: false };
    }
  }
}

function collect(node: PatternNode, out: IndexableObservation[]): void {
  if (node.kind === 'observation') out.push(fromComparisons(node.expression));
  else if (node.kind === 'qualified') collect(node.expression, out);
  else for (const o of node.operands) collect(o, out);
}

/**
 * The index-usable tests of a pattern, per observation expression.
 * @example extractIndexable(parsePattern("[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value = 'x.com']"))
 *   // fullyCovered: true, two observations each with one '=' comparison
 */
export function extractIndexable(pattern: PatternNode): IndexablePattern {
  const observations: IndexableObservation[] = [];
  collect(pattern, observations);
  const simple =
    pattern.kind === 'observation' ||
    (pattern.kind === 'or' && pattern.operands.every((o) => o.kind === 'observation'));
  return { observations, fullyCovered: simple && observations.every((o) => o.exact) };
}
