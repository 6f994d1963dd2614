/**
 * Token kinds of STIX patterns, named as in the OASIS grammar STIXPattern.g4 (its lexer rules), and
 * the sets of them the parser names when it says what it expected.
 */
import type { ComparisonOperator } from './ast.js';

export const T = {
  EOF: 0,
  LBRACK: 1,
  RBRACK: 2,
  LPAREN: 3,
  RPAREN: 4,
  COLON: 5,
  DOT: 6,
  COMMA: 7,
  ASTERISK: 8,
  EQ: 9,
  NEQ: 10,
  LT: 11,
  LE: 12,
  GT: 13,
  GE: 14,
  PLUS: 15,
  MINUS: 16,
  POWER: 17,
  DIVIDE: 18,
  IDENT: 19,
  IDENT_HYPHEN: 20,
  STRING: 21,
  INT_POS: 22,
  INT_NEG: 23,
  FLOAT_POS: 24,
  FLOAT_NEG: 25,
  BOOL: 26,
  TIMESTAMP: 27,
  HEX: 28,
  BINARY: 29,
  AND: 30,
  OR: 31,
  NOT: 32,
  FOLLOWEDBY: 33,
  LIKE: 34,
  MATCHES: 35,
  ISSUPERSET: 36,
  ISSUBSET: 37,
  EXISTS: 38,
  LAST: 39,
  IN: 40,
  START: 41,
  STOP: 42,
  SECONDS: 43,
  WITHIN: 44,
  REPEATS: 45,
  TIMES: 46,
  INVALID: 47,
} as const;

export type TokenType = (typeof T)[keyof typeof T];

/** Token names as the OASIS validator prints them in "expecting ..." messages. */
export const TOKEN_NAMES: Record<TokenType, string> = {
  0: '<EOF>',
  1: "'['",
  2: "']'",
  3: "'('",
  4: "')'",
  5: "':'",
  6: "'.'",
  7: "','",
  8: "'*'",
  9: "'='",
  10: "'!='",
  11: "'<'",
  12: "'<='",
  13: "'>'",
  14: "'>='",
  15: "'+'",
  16: "'-'",
  17: "'^'",
  18: "'/'",
  19: 'IdentifierWithoutHyphen',
  20: 'IdentifierWithHyphen',
  21: 'StringLiteral',
  22: 'IntPosLiteral',
  23: 'IntNegLiteral',
  24: 'FloatPosLiteral',
  25: 'FloatNegLiteral',
  26: 'BoolLiteral',
  27: 'TimestampLiteral',
  28: 'HexLiteral',
  29: 'BinaryLiteral',
  30: "'AND'",
  31: "'OR'",
  32: "'NOT'",
  33: "'FOLLOWEDBY'",
  34: "'LIKE'",
  35: "'MATCHES'",
  36: "'ISSUPERSET'",
  37: "'ISSUBSET'",
  38: "'EXISTS'",
  39: "'LAST'",
  40: "'IN'",
  41: "'START'",
  42: "'STOP'",
  43: "'SECONDS'",
  44: "'WITHIN'",
  45: "'REPEATS'",
  46: "'TIMES'",
  47: 'an invalid character',
};

/** Keywords are case-sensitive (9.2): `and` is an identifier, not AND. */
export const KEYWORDS = new Map<string, TokenType>([
  ['AND', T.AND],
  ['OR', T.OR],
  ['NOT', T.NOT],
  ['FOLLOWEDBY', T.FOLLOWEDBY],
  ['LIKE', T.LIKE],
  ['MATCHES', T.MATCHES],
  ['ISSUPERSET', T.ISSUPERSET],
  ['ISSUBSET', T.ISSUBSET],
  ['EXISTS', T.EXISTS],
  ['LAST', T.LAST],
  ['IN', T.IN],
  ['START', T.START],
  ['STOP', T.STOP],
  ['SECONDS', T.SECONDS],
  ['WITHIN', T.WITHIN],
  ['REPEATS', T.REPEATS],
  ['TIMES', T.TIMES],
  ['true', T.BOOL],
  ['false', T.BOOL],
]);

export const isKeyword = (word: string): boolean => KEYWORDS.has(word);

/** Names of token kinds, for "expecting ..." lists. */
export const names = (...types: TokenType[]): string[] => types.map((t) => TOKEN_NAMES[t]);

export const LITERALS = names(
  T.INT_POS,
  T.INT_NEG,
  T.FLOAT_POS,
  T.FLOAT_NEG,
  T.STRING,
  T.BOOL,
  T.BINARY,
  T.HEX,
  T.TIMESTAMP,
);
/** orderableLiteral: every literal but booleans. */
export const ORDERABLE = LITERALS.filter((n) => n !== 'BoolLiteral');
/** What may follow an observation expression. */
export const AFTER_OBSERVATION = names(T.WITHIN, T.REPEATS, T.START, T.AND, T.OR, T.FOLLOWEDBY);

/** Comparison operator tokens (`==` and `<>` are lexed as EQ and NEQ). */
export const OPERATOR_OF = new Map<TokenType, ComparisonOperator>([
  [T.EQ, '='],
  [T.NEQ, '!='],
  [T.LT, '<'],
  [T.LE, '<='],
  [T.GT, '>'],
  [T.GE, '>='],
  [T.IN, 'IN'],
  [T.LIKE, 'LIKE'],
  [T.MATCHES, 'MATCHES'],
  [T.ISSUBSET, 'ISSUBSET'],
  [T.ISSUPERSET, 'ISSUPERSET'],
]);
export const OPERATORS = [TOKEN_NAMES[T.NOT], ...[...OPERATOR_OF.keys()].map((t) => TOKEN_NAMES[t])];
