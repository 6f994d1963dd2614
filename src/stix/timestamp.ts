/**
 * STIX timestamps (section 3.2): RFC 3339, UTC, `Z`, any number of fractional digits. They are
 * compared as text after aligning the fraction, so sub-millisecond precision is kept (Date.parse
 * would drop it) and no Date is allocated on the hot path.
 */
import { TIMESTAMP_RE } from './common.js';

/** Orders two well-formed STIX timestamps: negative, zero or positive. */
export function compareTimestamps(a: string, b: string): number {
  // The first 19 characters (YYYY-MM-DDTHH:MM:SS) have fixed width, so text order is time order.
  const ha = a.slice(0, 19);
  const hb = b.slice(0, 19);
  if (ha !== hb) return ha < hb ? -1 : 1;
  const fa = fraction(a);
  const fb = fraction(b);
  const n = Math.max(fa.length, fb.length);
  const pa = fa.padEnd(n, '0');
  const pb = fb.padEnd(n, '0');
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

const fraction = (t: string): string => (t.charCodeAt(19) === 46 /* . */ ? t.slice(20, t.length - 1) : '');

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Well-formed and a real calendar date (the OASIS pattern admits 2023-02-31). */
export function isValidTimestamp(t: string): boolean {
  if (!TIMESTAMP_RE.test(t)) return false;
  const year = Number(t.slice(0, 4));
  const month = Number(t.slice(5, 7));
  const day = Number(t.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const max = month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
  return day <= max;
}

/** Line terminators, which `.` in a regular expression does not match. */
const isLineTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * Pads a timestamp to millisecond precision (`...:00Z` -> `...:00.000Z`); longer fractions stay.
 * Text that is not 19 characters, an optional `.digits` and `Z` is returned as it is. Written
 * with character tests (as `/^(.{19})(\.(\d*))?Z$/` would decide) because every upgraded object
 * passes through it twice, and an already precise timestamp is returned without a copy.
 */
export function toMillisPrecision(t: string): string {
  const n = t.length;
  if (n < 20 || t.charCodeAt(n - 1) !== 90 /* Z */) return t;
  for (let i = 0; i < 19; i++) if (isLineTerminator(t.charCodeAt(i))) return t;
  if (n === 20) return `${t.slice(0, 19)}.000Z`;
  if (t.charCodeAt(19) !== 46 /* . */) return t;
  for (let i = 20; i < n - 1; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return t;
  }
  const digits = n - 21;
  return digits >= 3 ? t : `${t.slice(0, n - 1)}${'0'.repeat(3 - digits)}Z`;
}
