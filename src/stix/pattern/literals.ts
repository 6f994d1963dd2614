/**
 * Checks and text forms of pattern literals, shared by the lexer, the printer and the evaluator.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Digit value of char code `c`, or -1. */
const digit = (c: number) => (c >= 48 && c <= 57 ? c - 48 : -1);

function num(s: string, from: number, len: number): number {
  let n = 0;
  for (let i = from; i < from + len; i++) {
    const d = digit(s.charCodeAt(i));
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Why the text of a t'...' literal is not a valid timestamp, or null if it is. The grammar's
 * TimestampLiteral form (`YYYY-MM-DDTHH:MM:SS[.frac]Z`) with RFC 3339 section 5.7 ranges: the day must
 * exist in its month (leap years per the Gregorian rule), seconds may be 60 (a leap second).
 */
export function timestampProblem(s: string): string | null {
  const n = s.length;
  if (n < 20) return 'expected YYYY-MM-DDTHH:MM:SS[.fraction]Z';
  const shape =
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58 &&
    s.charCodeAt(n - 1) === 90;
  if (!shape) return 'expected YYYY-MM-DDTHH:MM:SS[.fraction]Z';
  const year = num(s, 0, 4);
  const month = num(s, 5, 2);
  const day = num(s, 8, 2);
  const hour = num(s, 11, 2);
  const minute = num(s, 14, 2);
  const second = num(s, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return 'expected digits in YYYY-MM-DDTHH:MM:SS[.fraction]Z';
  }
  if (n > 20) {
    // A fraction: '.' and at least one digit before the Z.
    if (s.charCodeAt(19) !== 46 || n === 21) return 'expected a fraction of a second after the dot';
    for (let i = 20; i < n - 1; i++) if (digit(s.charCodeAt(i)) < 0) return 'the fraction must be digits';
  }
  if (month < 1 || month > 12) return `month ${month} is out of range`;
  // Like the OASIS grammar, each field is checked against its own range only (day 1..31 in any
  // month), so a pattern the reference validator accepts is accepted here; a date the calendar lacks
  // (30 February) has no instant (timestampMillis gives NaN), so a comparison with it matches nothing.
  if (day < 1 || day > 31) return `day ${day} is out of range`;
  if (hour > 23) return `hour ${hour} is out of range`;
  if (minute > 59) return `minute ${minute} is out of range`;
  if (second > 60) return `second ${second} is out of range`;
  return null;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch (with a fractional part for sub-millisecond digits) of an RFC 3339
 * timestamp, or NaN. Used for property values and observed-data times, so offsets are accepted.
 */
export function timestampMillis(s: string): number {
  const m = RFC3339.exec(s);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const year = Number(y);
  if (month < 1 || month > 12) return Number.NaN;
  const maxDay = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > maxDay || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 60) return Number.NaN;
  let ms = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(sec));
  if (frac) ms += Number(`0${frac}`) * 1000;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return ms;
}

const isB64 = (c: number) =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;

/**
 * Whether the text of a b'...' literal is base64 as the grammar's BinaryLiteral wants: whole groups
 * of four characters, at least one, the last one padded with at most two '='.
 */
export function isBase64Literal(s: string): boolean {
  const n = s.length;
  if (n === 0 || n % 4 !== 0) return false;
  let pad = 0;
  if (s.charCodeAt(n - 1) === 61) pad = s.charCodeAt(n - 2) === 61 ? 2 : 1;
  for (let i = 0; i < n - pad; i++) if (!isB64(s.charCodeAt(i))) return false;
  return true;
}

/** Quote a string for a pattern: only `'` and `\` are escaped (grammar rule StringLiteral). */
export function quoteString(s: string): string {
  let out = "'";
  for (const ch of s) out += ch === "'" ? "\\'" : ch === '\\' ? '\\\\' : ch;
  return `${out}'`;
}

/** Shift a number written with an exponent (`1.5e-7`) to plain decimal digits (`0.00000015`). */
function plainDecimal(s: string): string {
  const e = s.indexOf('e');
  if (e < 0) return s;
  const neg = s[0] === '-';
  const mant = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  const digits = mant.replace('.', '');
  const pointAt = (dot < 0 ? mant.length : dot) + exp;
  let out: string;
  if (pointAt <= 0) out = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) out = digits + '0'.repeat(pointAt - digits.length);
  else out = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return (neg ? '-' : '') + out;
}

/** An integer as the grammar's IntPosLiteral/IntNegLiteral: no exponent, no fraction. */
export function formatInteger(n: number): string {
  return plainDecimal(String(n));
}

/** A float as FloatPosLiteral/FloatNegLiteral: always with a '.', never with an exponent. */
export function formatFloat(n: number): string {
  const s = plainDecimal(String(n));
  return s.includes('.') ? s : `${s}.0`;
}
