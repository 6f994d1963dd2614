/**
 * The lexer of STIX patterns: tokens as in the OASIS grammar STIXPattern.g4 (lexer rules at its end),
 * produced on demand so that an error is reported at the first bad token in reading order. It keeps
 * the current token in fields rather than allocating one object per token: patterns are parsed for
 * every ingested indicator.
 */
import { isBase64Literal, timestampProblem } from './literals.js';
import { KEYWORDS, T, type TokenType } from './tokens.js';

/** The grammar's WS rule: ASCII and Unicode spaces and line breaks. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);
const isHex = (c: number) => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

const QUOTE = 39;
const BACKSLASH = 92;

export class Lexer {
  /** The current token: its type, where it starts and ends, and its value for literals and names. */
  type: TokenType = T.EOF;
  start = 0;
  end = 0;
  value: string | number | boolean = '';
  /** For an INVALID token, why it is invalid. */
  problem = '';
  private pos = 0;

  constructor(readonly src: string) {}

  /** Read the next token into the fields above. */
  next(): void {
    const s = this.src;
    const n = s.length;
    let p = this.pos;
    for (;;) {
      while (p < n && isSpace(s.charCodeAt(p))) p++;
      if (p + 1 < n && s.charCodeAt(p) === 47) {
        const c2 = s.charCodeAt(p + 1);
        if (c2 === 42) {
          const close = s.indexOf('*/', p + 2);
          if (close >= 0) {
            p = close + 2;
            continue;
          }
        } else if (c2 === 47) {
          while (p < n && s.charCodeAt(p) !== 10 && s.charCodeAt(p) !== 13) p++;
          continue;
        }
      }
      break;
    }
    this.start = p;
    if (p >= n) {
      this.type = T.EOF;
      this.end = this.pos = n;
      return;
    }
    const c = s.charCodeAt(p);
    if (isIdentStart(c)) {
      if (p + 1 < n && s.charCodeAt(p + 1) === QUOTE && (c === 116 || c === 104 || c === 98)) {
        this.prefixedLiteral(c, p);
        return;
      }
      let q = p + 1;
      let hyphen = false;
      for (; q < n; q++) {
        const d = s.charCodeAt(q);
        if (d === 45) hyphen = true;
        else if (!isIdentPart(d)) break;
      }
      const word = s.slice(p, q);
      const kw = KEYWORDS.get(word);
      this.type = kw ?? (hyphen ? T.IDENT_HYPHEN : T.IDENT);
      this.value = kw === T.BOOL ? word === 'true' : word;
      this.end = this.pos = q;
      return;
    }
    if (c === QUOTE) {
      this.stringLiteral(p);
      return;
    }
    if (isDigit(c) || ((c === 43 || c === 45 || c === 46) && this.startsNumber(p))) {
      this.number(p);
      return;
    }
    this.punctuation(c, p);
  }

  private startsNumber(p: number): boolean {
    const s = this.src;
    const c = s.charCodeAt(p);
    const c1 = s.charCodeAt(p + 1);
    if (c === 46) return isDigit(c1);
    return isDigit(c1) || (c1 === 46 && isDigit(s.charCodeAt(p + 2)));
  }

  /** IntPosLiteral, IntNegLiteral, FloatPosLiteral, FloatNegLiteral, longest match first. */
  private number(p: number): void {
    const s = this.src;
    const n = s.length;
    const c = s.charCodeAt(p);
    const neg = c === 45;
    let q = c === 43 || c === 45 ? p + 1 : p;
    const digitsAt = q;
    while (q < n && isDigit(s.charCodeAt(q))) q++;
    if (q + 1 < n && s.charCodeAt(q) === 46 && isDigit(s.charCodeAt(q + 1))) {
      q += 2;
      while (q < n && isDigit(s.charCodeAt(q))) q++;
      this.type = neg ? T.FLOAT_NEG : T.FLOAT_POS;
    } else {
      // An integer is '0' or starts with 1-9: "007" is three tokens, as in the grammar.
      if (s.charCodeAt(digitsAt) === 48) q = digitsAt + 1;
      this.type = neg ? T.INT_NEG : T.INT_POS;
    }
    const v = Number(s.slice(p, q));
    this.value = v === 0 ? 0 : v;
    this.end = this.pos = q;
  }

  private stringLiteral(p: number): void {
    const s = this.src;
    const n = s.length;
    let q = p + 1;
    let chunkStart = q;
    let out = '';
    for (;;) {
      if (q >= n) {
        this.invalid(p, n, 'unterminated string literal');
        return;
      }
      const c = s.charCodeAt(q);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        const e = s.charCodeAt(q + 1);
        if (e !== QUOTE && e !== BACKSLASH) {
          this.invalid(p, q + 1, "only \\' and \\\\ may be escaped in a string literal");
          return;
        }
        out += s.slice(chunkStart, q);
        chunkStart = q + 1;
        q += 2;
        continue;
      }
      q++;
    }
    this.type = T.STRING;
    this.value = out + s.slice(chunkStart, q);
    this.end = this.pos = q + 1;
  }

  /** t'...', h'...' and b'...': the body has no escapes, so it ends at the next quote. */
  private prefixedLiteral(c: number, p: number): void {
    const s = this.src;
    const close = s.indexOf("'", p + 2);
    if (close < 0) {
      this.invalid(p, s.length, 'unterminated literal');
      return;
    }
    const body = s.slice(p + 2, close);
    if (c === 116) {
      const problem = timestampProblem(body);
      if (problem) {
        this.invalid(p, close + 1, `invalid timestamp t'${body}': ${problem}`);
        return;
      }
      this.type = T.TIMESTAMP;
      this.value = body;
    } else if (c === 104) {
      let ok = body.length % 2 === 0;
      for (let i = 0; ok && i < body.length; i++) ok = isHex(body.charCodeAt(i));
      if (!ok) {
        this.invalid(p, close + 1, `invalid hex literal h'${body}': expected pairs of hex digits`);
        return;
      }
      this.type = T.HEX;
      this.value = body.toLowerCase();
    } else {
      if (!isBase64Literal(body)) {
        this.invalid(p, close + 1, `invalid binary literal b'${body}': not base64`);
        return;
      }
      this.type = T.BINARY;
      this.value = body;
    }
    this.end = this.pos = close + 1;
  }

  private punctuation(c: number, p: number): void {
    const c1 = this.src.charCodeAt(p + 1);
    let type: TokenType;
    let len = 1;
    switch (c) {
      case 91:
        type = T.LBRACK;
        break;
      case 93:
        type = T.RBRACK;
        break;
      case 40:
        type = T.LPAREN;
        break;
      case 41:
        type = T.RPAREN;
        break;
      case 58:
        type = T.COLON;
        break;
      case 46:
        type = T.DOT;
        break;
      case 44:
        type = T.COMMA;
        break;
      case 42:
        type = T.ASTERISK;
        break;
      case 43:
        type = T.PLUS;
        break;
      case 45:
        type = T.MINUS;
        break;
      case 94:
        type = T.POWER;
        break;
      case 47:
        type = T.DIVIDE;
        break;
      case 61: // '=' or '=='
        type = T.EQ;
        if (c1 === 61) len = 2;
        break;
      case 33: // '!='
        if (c1 !== 61) {
          this.invalid(p, p + 1, "extraneous input '!'");
          return;
        }
        type = T.NEQ;
        len = 2;
        break;
      case 60: // '<', '<=', '<>'
        if (c1 === 61) [type, len] = [T.LE, 2];
        else if (c1 === 62) [type, len] = [T.NEQ, 2];
        else type = T.LT;
        break;
      case 62:
        if (c1 === 61) [type, len] = [T.GE, 2];
        else type = T.GT;
        break;
      default: {
        const end = p + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
        this.invalid(p, end, `extraneous input '${this.src.slice(p, end)}'`);
        return;
      }
    }
    this.type = type;
    this.end = this.pos = p + len;
  }

  private invalid(start: number, end: number, problem: string): void {
    this.type = T.INVALID;
    this.start = start;
    this.end = this.pos = end;
    this.problem = problem;
  }
}
