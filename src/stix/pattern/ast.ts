/**
 * The syntax tree of a STIX 2.1 pattern (STIX 2.1 section 9). The parser builds it, the printer turns
 * it back into canonical text, the evaluator runs it against observed data.
 *
 * Canonical shape: AND, OR and FOLLOWEDBY are n-ary and flattened (`a AND (b AND c)` is one `and` node
 * with three operands: every one of them is associative, see 9.5 and 9.6), never hold a single operand,
 * and parentheses are not kept. Quoted and bare path keys are the same key; `==` is `=`, `<>` is `!=`.
 */

/** Literal kinds of 9.3 (Constants). */
export type Literal =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'boolean'; readonly value: boolean }
  /** The text inside t'...', RFC 3339 UTC as the grammar allows it (always ends in Z). */
  | { readonly type: 'timestamp'; readonly value: string }
  /** The hex digits inside h'...', lower-cased. */
  | { readonly type: 'hex'; readonly value: string }
  /** The base64 text inside b'...', as written. */
  | { readonly type: 'binary'; readonly value: string };

export type LiteralType = Literal['type'];

/** One step of an object path after the object type (9.4). */
export type PathStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'any' };

export interface ObjectPath {
  /** The SCO type, e.g. `file`, `network-traffic`, `x-usb-device`. */
  readonly objectType: string;
  /** At least one step; the first is always a key. */
  readonly steps: readonly PathStep[];
}

export type EqualityOperator = '=' | '!=';
export type OrderOperator = '<' | '<=' | '>' | '>=';
export type StringOperator = 'LIKE' | 'MATCHES' | 'ISSUBSET' | 'ISSUPERSET';

/** A property test (9.6 Comparison Operators), optionally negated with NOT. */
export type Comparison =
  | {
      readonly kind: 'comparison';
      readonly path: ObjectPath;
      readonly op: EqualityOperator;
      readonly negated: boolean;
      readonly value: Literal;
    }
  | {
      readonly kind: 'comparison';
      readonly path: ObjectPath;
      readonly op: OrderOperator;
      readonly negated: boolean;
      readonly value: Exclude<Literal, { type: 'boolean' }>;
    }
  | {
      readonly kind: 'comparison';
      readonly path: ObjectPath;
      readonly op: 'IN';
      readonly negated: boolean;
      readonly value: readonly Literal[];
    }
  | {
      readonly kind: 'comparison';
      readonly path: ObjectPath;
      readonly op: StringOperator;
      readonly negated: boolean;
      readonly value: { readonly type: 'string'; readonly value: string };
    };

export type ComparisonOperator = Comparison['op'];

export interface Exists {
  readonly kind: 'exists';
  readonly path: ObjectPath;
  readonly negated: boolean;
}

/** What sits between the square brackets of one observation expression. */
export type ComparisonExpression =
  | Comparison
  | Exists
  | { readonly kind: 'and'; readonly operands: readonly ComparisonExpression[] }
  | { readonly kind: 'or'; readonly operands: readonly ComparisonExpression[] };

export type Qualifier =
  | { readonly kind: 'within'; readonly seconds: number }
  | { readonly kind: 'repeats'; readonly times: number }
  /** Timestamps as in the literal, without t'...'. */
  | { readonly kind: 'start-stop'; readonly start: string; readonly stop: string };

/** A whole pattern, or any part of it above the comparison level. */
export type PatternNode =
  | { readonly kind: 'observation'; readonly expression: ComparisonExpression }
  | { readonly kind: 'and'; readonly operands: readonly PatternNode[] }
  | { readonly kind: 'or'; readonly operands: readonly PatternNode[] }
  | { readonly kind: 'followedby'; readonly operands: readonly PatternNode[] }
  | { readonly kind: 'qualified'; readonly expression: PatternNode; readonly qualifier: Qualifier };

export type Pattern = PatternNode;
