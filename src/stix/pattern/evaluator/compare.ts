/**
 * The comparison operators of STIX 2.1 section 9.6 applied to one property value.
 *
 * A test is three-valued: true, false, or undefined when the value's type cannot be compared with the
 * literal (a string property against an integer, an object against anything). Undefined never matches,
 * with or without NOT, just as a missing property never matches (9.6: "NOT ... the property MUST be
 * present"). Coercions: integers and floats compare as numbers; a t'...' literal compares with a string
 * property as an instant; h'...' and b'...' literals compare as bytes with a `_hex` property (hex), a
 * `_bin` property (base64) or any other string property (its UTF-8 bytes).
 */
import type { Comparison, Literal } from '../ast.js';
import { timestampMillis } from '../literals.js';
import { isSubnet, parseNetwork } from './networks.js';
import { compileLike, compileMatches } from './regex.js';

/** Decoded forms of literals, computed once per literal object. */
const literalBytes = new WeakMap<Literal, Buffer>();
const literalTimes = new WeakMap<Literal, number>();

function bytesOf(lit: Literal & { type: 'hex' | 'binary' }): Buffer {
  let b = literalBytes.get(lit);
  if (!b) {
    b = Buffer.from(lit.value, lit.type === 'hex' ? 'hex' : 'base64');
    literalBytes.set(lit, b);
  }
  return b;
}

function timeOf(lit: Literal & { type: 'timestamp' }): number {
  let t = literalTimes.get(lit);
  if (t === undefined) {
    t = timestampMillis(lit.value);
    literalTimes.set(lit, t);
  }
  return t;
}

const HEX_TEXT = /^(?:[0-9a-fA-F]{2})*$/;

/** The bytes a string property holds, after its STIX naming convention (2.1 section 2.1, 2.2). */
export function propertyBytes(v: string, prop: string): Buffer | undefined {
  if (prop.endsWith('_hex')) return HEX_TEXT.test(v) ? Buffer.from(v, 'hex') : undefined;
  if (prop.endsWith('_bin')) return Buffer.from(v, 'base64');
  return Buffer.from(v, 'utf8');
}

/** Sign of (value - literal), or undefined if they cannot be ordered. */
function order(lit: Literal, v: unknown, prop: string): number | undefined {
  switch (lit.type) {
    case 'string':
      if (typeof v !== 'string') return undefined;
      if (prop.endsWith('_hex')) return cmp(v.toLowerCase(), lit.value.toLowerCase());
      return cmp(v, lit.value);
    case 'integer':
    case 'float':
      return typeof v === 'number' ? cmp(v, lit.value) : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? cmp(Number(v), Number(lit.value)) : undefined;
    case 'timestamp': {
      if (typeof v !== 'string') return undefined;
      const t = timestampMillis(v);
      return Number.isNaN(t) ? undefined : cmp(t, timeOf(lit));
    }
    case 'hex':
    case 'binary': {
      if (typeof v !== 'string') return undefined;
      const b = propertyBytes(v, prop);
      return b ? Buffer.compare(b, bytesOf(lit)) : undefined;
    }
  }
}

const cmp = <X extends string | number>(a: X, b: X) => (a < b ? -1 : a > b ? 1 : 0);

/** Text for LIKE and MATCHES: binary properties are matched byte by byte, one byte a character. */
function textOf(v: unknown, prop: string): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (prop.endsWith('_bin') || prop.endsWith('_hex')) return propertyBytes(v, prop)?.toString('latin1');
  return v;
}

/** The operator of `c` on value `v` of property `prop`, before NOT. */
function apply(c: Comparison, v: unknown, prop: string): boolean | undefined {
  switch (c.op) {
    case '=': {
      const o = order(c.value, v, prop);
      return o === undefined ? undefined : o === 0;
    }
    case '!=': {
      const o = order(c.value, v, prop);
      return o === undefined ? undefined : o !== 0;
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const o = order(c.value, v, prop);
      if (o === undefined) return undefined;
      return c.op === '<' ? o < 0 : c.op === '<=' ? o <= 0 : c.op === '>' ? o > 0 : o >= 0;
    }
    case 'IN': {
      let comparable = false;
      for (const lit of c.value) {
        const o = order(lit, v, prop);
        if (o === 0) return true;
        if (o !== undefined) comparable = true;
      }
      return comparable || c.value.length === 0 ? false : undefined;
    }
    case 'LIKE': {
      const text = textOf(v, prop);
      return text === undefined ? undefined : compileLike(c.value.value).test(text);
    }
    case 'MATCHES': {
      const text = textOf(v, prop);
      const re = compileMatches(c.value.value);
      return text === undefined || re === null ? undefined : re.test(text);
    }
    case 'ISSUBSET':
    case 'ISSUPERSET': {
      if (typeof v !== 'string') return undefined;
      const value = parseNetwork(v);
      const literal = parseNetwork(c.value.value);
      if (!value || !literal || value.kind !== literal.kind) return undefined;
      return c.op === 'ISSUBSET' ? isSubnet(value, literal) : isSubnet(literal, value);
    }
  }
}

/** Whether value `v` (found under property `prop`) passes comparison `c`, NOT included. */
export function testValue(c: Comparison, v: unknown, prop: string): boolean {
  const r = apply(c, v, prop);
  if (r === undefined) return false;
  return c.negated ? !r : r;
}
