/**
 * Matching a pattern against observations (STIX 2.1 section 9: an indicator's pattern matches when
 * some observations can be bound to its observation expressions under the operators and qualifiers).
 */
import type { PatternNode } from './ast.js';
import { BindingSearch } from './evaluator/bindings.js';
import { type Observation, type PreparedObservation, prepareObservation } from './evaluator/observations.js';
import { parsePattern } from './parser.js';

export interface MatchOptions {
  /** How many distinct bindings to return at most (default and minimum 1: stop at the first match). */
  maxBindings?: number;
  /** Work budget; past it matching throws `pattern.too_complex` (default 1,000,000 steps). */
  maxSteps?: number;
}

export interface MatchResult {
  matched: boolean;
  /** Each binding: the indexes (into `observations`, ascending, no repeats) of the observations used. */
  bindings: number[][];
}

/**
 * Observations checked and indexed once, for matching many patterns against the same records
 * (matchPattern prepares plain arrays on every call).
 */
export class PreparedObservations {
  /** @internal */
  readonly prepared: readonly PreparedObservation[];
  constructor(observations: readonly Observation[]) {
    this.prepared = observations.map(prepareObservation);
  }
}

/**
 * Match a pattern (text or tree) against observed-data-like records.
 * @example matchPattern("[ipv4-addr:value = '198.51.100.1']", [{ first_observed: t, last_observed: t,
 *   objects: [{ type: 'ipv4-addr', value: '198.51.100.1' }] }]) // { matched: true, bindings: [[0]] }
 */
export function matchPattern(
  pattern: PatternNode | string,
  observations: readonly Observation[] | PreparedObservations,
  options: MatchOptions = {},
): MatchResult {
  const ast = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
  const maxBindings = Math.max(1, options.maxBindings ?? 1);
  const prepared =
    observations instanceof PreparedObservations
      ? observations.prepared
      : observations.map(prepareObservation);
  const search = new BindingSearch(prepared, options.maxSteps ?? 1_000_000);
  const bindings: number[][] = [];
  const seen = new Set<string>();
  for (const b of search.bindings(ast)) {
    const used = [...new Set(b)].sort((x, y) => x - y);
    const key = used.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    bindings.push(used);
    if (bindings.length >= maxBindings) break;
  }
  return { matched: bindings.length > 0, bindings };
}
