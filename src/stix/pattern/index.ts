/**
 * STIX 2.1 patterning (STIX 2.1 section 9): parse, print, match, and what an index can use.
 */
export type {
  Comparison,
  ComparisonExpression,
  ComparisonOperator,
  EqualityOperator,
  Exists,
  Literal,
  LiteralType,
  ObjectPath,
  OrderOperator,
  PathStep,
  Pattern,
  PatternNode,
  Qualifier,
  StringOperator,
} from './ast.js';
export type { PatternPosition } from './errors.js';
export type { Observation, Sco } from './evaluator/observations.js';
export {
  extractIndexable,
  type IndexableComparison,
  type IndexableObservation,
  type IndexablePattern,
} from './indexable.js';
export { type MatchOptions, type MatchResult, matchPattern, PreparedObservations } from './match.js';
export { parsePattern } from './parser.js';
export { printPattern } from './printer.js';
