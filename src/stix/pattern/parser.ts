/**
 * Recursive-descent parser for STIX 2.1 patterns (section 9), following the OASIS grammar
 * STIXPattern.g4. Precedence from loosest to tightest: FOLLOWEDBY, OR, AND between observation
 * expressions; qualifiers bind to the observation expression just before them; inside brackets, OR
 * then AND. All binary operators are left-associative and associative in meaning, so they are
 * flattened into n-ary nodes.
 */
import type { ComparisonExpression, Literal, ObjectPath, PathStep, PatternNode, Qualifier } from './ast.js';
import { semanticError, syntaxError } from './errors.js';
import { hashAlgorithm, isHashValue } from './hashes.js';
import { Lexer } from './lexer.js';
import {
  AFTER_OBSERVATION,
  LITERALS,
  names,
  OPERATOR_OF,
  OPERATORS,
  ORDERABLE,
  T,
  TOKEN_NAMES,
  type TokenType,
} from './tokens.js';

/** Parenthesis nesting allowed; real patterns use a handful of levels. */
const MAX_NESTING = 100;

/** Bits for the duplicate-qualifier check. */
const Q_WITHIN = 1;
const Q_REPEATS = 2;
const Q_STARTSTOP = 4;
const Q_NAMES: Record<number, string> = { 1: 'WITHIN', 2: 'REPEATS', 4: 'STARTSTOP' };

class Parser {
  private readonly lx: Lexer;
  private depth = 0;
  constructor(private readonly src: string) {
    this.lx = new Lexer(src);
  }

  /** Enter a parenthesis, refusing nesting deep enough to exhaust the stack (here or in consumers). */
  private open(): void {
    if (++this.depth > MAX_NESTING) {
      throw syntaxError(this.src, this.lx.start, '(', [], `parentheses nested deeper than ${MAX_NESTING}`);
    }
    this.lx.next();
  }

  parse(): PatternNode {
    this.lx.next();
    const node = this.followedBy();
    if (this.peek() !== T.EOF) this.fail([...AFTER_OBSERVATION, '<EOF>']);
    return node;
  }

  /** The current token type (a method, so that TypeScript does not narrow it across next()). */
  private peek(): TokenType {
    return this.lx.type;
  }

  private fail(expected: readonly string[]): never {
    const lx = this.lx;
    const found = this.peek() === T.EOF ? '' : this.src.slice(lx.start, lx.end);
    throw syntaxError(
      this.src,
      lx.start,
      found,
      expected,
      this.peek() === T.INVALID ? lx.problem : undefined,
    );
  }

  private expect(type: TokenType, expected: readonly string[] = [TOKEN_NAMES[type]]): void {
    if (this.peek() !== type) this.fail(expected);
    this.lx.next();
  }

  private followedBy(): PatternNode {
    const first = this.orObservations();
    if (this.peek() !== T.FOLLOWEDBY) return first;
    const operands: PatternNode[] = [];
    push(operands, first, 'followedby');
    while (this.peek() === T.FOLLOWEDBY) {
      this.lx.next();
      push(operands, this.orObservations(), 'followedby');
    }
    return { kind: 'followedby', operands };
  }

  private orObservations(): PatternNode {
    const first = this.andObservations();
    if (this.peek() !== T.OR) return first;
    const operands: PatternNode[] = [];
    push(operands, first, 'or');
    while (this.peek() === T.OR) {
      this.lx.next();
      push(operands, this.andObservations(), 'or');
    }
    return { kind: 'or', operands };
  }

  private andObservations(): PatternNode {
    const first = this.qualifiedObservation();
    if (this.peek() !== T.AND) return first;
    const operands: PatternNode[] = [];
    push(operands, first, 'and');
    while (this.peek() === T.AND) {
      this.lx.next();
      push(operands, this.qualifiedObservation(), 'and');
    }
    return { kind: 'and', operands };
  }

  /**
   * An observation expression and its qualifiers. Like the OASIS validator, the same qualifier type
   * twice directly on a bracketed observation is an error; on a parenthesised group it is not.
   */
  private qualifiedObservation(): PatternNode {
    const lx = this.lx;
    let node: PatternNode;
    let seen: number;
    if (this.peek() === T.LBRACK) {
      lx.next();
      node = { kind: 'observation', expression: this.orComparisons() };
      this.expect(T.RBRACK, names(T.AND, T.OR, T.RBRACK));
      seen = 0;
    } else if (this.peek() === T.LPAREN) {
      this.open();
      node = this.followedBy();
      this.expect(T.RPAREN, [...AFTER_OBSERVATION, TOKEN_NAMES[T.RPAREN]]);
      this.depth--;
      seen = -1;
    } else {
      // The OASIS validator's wording for the commonest mistake: a comparison without its brackets.
      if (this.lx.start === 0 || this.src.slice(0, this.lx.start).trim() === '') {
        throw syntaxError(
          this.src,
          this.lx.start,
          this.src.slice(this.lx.start, this.lx.end),
          names(T.LBRACK, T.LPAREN),
          'input is missing square brackets',
        );
      }
      return this.fail(names(T.LBRACK, T.LPAREN));
    }
    for (;;) {
      const at = lx.start;
      let qualifier: Qualifier;
      let bit: number;
      if (this.peek() === T.WITHIN) {
        lx.next();
        if (this.peek() !== T.INT_POS && this.peek() !== T.FLOAT_POS)
          this.fail(names(T.INT_POS, T.FLOAT_POS));
        qualifier = { kind: 'within', seconds: lx.value as number };
        lx.next();
        this.expect(T.SECONDS);
        bit = Q_WITHIN;
      } else if (this.peek() === T.REPEATS) {
        lx.next();
        if (this.peek() !== T.INT_POS) this.fail(names(T.INT_POS));
        qualifier = { kind: 'repeats', times: lx.value as number };
        lx.next();
        this.expect(T.TIMES);
        bit = Q_REPEATS;
      } else if (this.peek() === T.START) {
        lx.next();
        if (this.peek() !== T.TIMESTAMP) this.fail(names(T.TIMESTAMP));
        const start = lx.value as string;
        lx.next();
        this.expect(T.STOP);
        if (this.peek() !== T.TIMESTAMP) this.fail(names(T.TIMESTAMP));
        qualifier = { kind: 'start-stop', start, stop: lx.value as string };
        lx.next();
        bit = Q_STARTSTOP;
      } else {
        return node;
      }
      if (seen >= 0) {
        if (seen & bit) {
          throw semanticError(
            'pattern.duplicate_qualifier',
            this.src,
            at,
            `Duplicate qualifier type encountered: ${Q_NAMES[bit]}`,
          );
        }
        seen |= bit;
      }
      node = { kind: 'qualified', expression: node, qualifier };
    }
  }

  private orComparisons(): ComparisonExpression {
    const first = this.andComparisons();
    if (this.peek() !== T.OR) return first;
    const operands: ComparisonExpression[] = [];
    push(operands, first, 'or');
    while (this.peek() === T.OR) {
      this.lx.next();
      push(operands, this.andComparisons(), 'or');
    }
    return { kind: 'or', operands };
  }

  private andComparisons(): ComparisonExpression {
    const first = this.propertyTest();
    if (this.peek() !== T.AND) return first;
    const operands: ComparisonExpression[] = [];
    push(operands, first, 'and');
    while (this.peek() === T.AND) {
      this.lx.next();
      push(operands, this.propertyTest(), 'and');
    }
    return { kind: 'and', operands };
  }

  private propertyTest(): ComparisonExpression {
    const lx = this.lx;
    if (this.peek() === T.LPAREN) {
      this.open();
      const inner = this.orComparisons();
      this.expect(T.RPAREN, names(T.AND, T.OR, T.RPAREN));
      this.depth--;
      return inner;
    }
    if (this.peek() === T.NOT || this.peek() === T.EXISTS) {
      const negated = this.peek() === T.NOT;
      lx.next();
      if (negated) this.expect(T.EXISTS);
      return { kind: 'exists', path: this.objectPath(), negated };
    }
    if (this.peek() !== T.IDENT && this.peek() !== T.IDENT_HYPHEN) {
      this.fail(names(T.IDENT, T.IDENT_HYPHEN, T.LPAREN, T.NOT, T.EXISTS));
    }
    const path = this.objectPath();
    let negated = false;
    if (this.peek() === T.NOT) {
      negated = true;
      lx.next();
    }
    const op = OPERATOR_OF.get(this.peek());
    if (op === undefined) return this.fail(negated ? OPERATORS.slice(1) : OPERATORS);
    lx.next();
    const at = lx.start;
    switch (op) {
      case '=':
      case '!=': {
        const value = this.literal(true);
        this.checkHash(path, value, at);
        return { kind: 'comparison', path, op, negated, value };
      }
      case 'IN': {
        const value = this.set();
        for (const v of value) this.checkHash(path, v, at);
        return { kind: 'comparison', path, op, negated, value };
      }
      case 'LIKE':
      case 'MATCHES':
      case 'ISSUBSET':
      case 'ISSUPERSET': {
        if (this.peek() !== T.STRING) this.fail(names(T.STRING));
        const value = { type: 'string', value: lx.value as string } as const;
        lx.next();
        return { kind: 'comparison', path, op, negated, value };
      }
      default: {
        const value = this.literal(false) as Exclude<Literal, { type: 'boolean' }>;
        return { kind: 'comparison', path, op, negated, value };
      }
    }
  }

  private checkHash(path: ObjectPath, value: Literal, at: number): void {
    if (value.type !== 'string') return;
    const algorithm = hashAlgorithm(path);
    if (algorithm && !isHashValue(algorithm, value.value)) {
      throw semanticError(
        'pattern.invalid_hash',
        this.src,
        at,
        `'${value.value}' is not a valid ${algorithm} hash`,
      );
    }
  }

  private objectPath(): ObjectPath {
    const lx = this.lx;
    if (this.peek() !== T.IDENT && this.peek() !== T.IDENT_HYPHEN) this.fail(names(T.IDENT, T.IDENT_HYPHEN));
    const objectType = lx.value as string;
    lx.next();
    this.expect(T.COLON);
    if (this.peek() !== T.IDENT && this.peek() !== T.STRING) this.fail(names(T.IDENT, T.STRING));
    const steps: PathStep[] = [{ kind: 'key', key: lx.value as string }];
    lx.next();
    for (;;) {
      if (this.peek() === T.DOT) {
        lx.next();
        if (this.peek() !== T.IDENT && this.peek() !== T.STRING) this.fail(names(T.IDENT, T.STRING));
        steps.push({ kind: 'key', key: lx.value as string });
        lx.next();
      } else if (this.peek() === T.LBRACK) {
        lx.next();
        if (this.peek() === T.ASTERISK) steps.push({ kind: 'any' });
        else if (this.peek() === T.INT_POS || this.peek() === T.INT_NEG) {
          steps.push({ kind: 'index', index: lx.value as number });
        } else this.fail(names(T.INT_POS, T.INT_NEG, T.ASTERISK));
        lx.next();
        this.expect(T.RBRACK);
      } else {
        return { objectType, steps };
      }
    }
  }

  private set(): Literal[] {
    const lx = this.lx;
    this.expect(T.LPAREN);
    const values: Literal[] = [];
    if (this.peek() === T.RPAREN) {
      lx.next();
      return values;
    }
    values.push(this.literal(true));
    while (this.peek() === T.COMMA) {
      lx.next();
      values.push(this.literal(true));
    }
    this.expect(T.RPAREN, names(T.COMMA, T.RPAREN));
    return values;
  }

  private literal(allowBool: boolean): Literal {
    const lx = this.lx;
    let lit: Literal;
    switch (this.peek()) {
      case T.STRING:
        lit = { type: 'string', value: lx.value as string };
        break;
      case T.INT_POS:
      case T.INT_NEG:
        lit = { type: 'integer', value: lx.value as number };
        break;
      case T.FLOAT_POS:
      case T.FLOAT_NEG:
        lit = { type: 'float', value: lx.value as number };
        break;
      case T.TIMESTAMP:
        lit = { type: 'timestamp', value: lx.value as string };
        break;
      case T.HEX:
        lit = { type: 'hex', value: lx.value as string };
        break;
      case T.BINARY:
        lit = { type: 'binary', value: lx.value as string };
        break;
      case T.BOOL:
        if (allowBool) {
          lit = { type: 'boolean', value: lx.value as boolean };
          break;
        }
        return this.fail(ORDERABLE);
      default:
        return this.fail(allowBool ? LITERALS : ORDERABLE);
    }
    lx.next();
    return lit;
  }
}

/** Append `node` to `into`, inlining its operands if it is the same n-ary operator. */
function push<N extends { kind: string }>(into: N[], node: N, kind: string): void {
  if (node.kind === kind) into.push(...(node as unknown as { operands: N[] }).operands);
  else into.push(node);
}

/**
 * Parse a STIX 2.1 pattern. Throws a ParleyError `pattern.syntax` (details: line, column, offset,
 * expected, found), `pattern.invalid_hash` or `pattern.duplicate_qualifier`.
 * @example parsePattern("[ipv4-addr:value = '198.51.100.1']")
 */
export function parsePattern(pattern: string): PatternNode {
  if (typeof pattern !== 'string') throw syntaxError('', 0, '', ["'['", "'('"], 'a pattern must be a string');
  return new Parser(pattern).parse();
}
