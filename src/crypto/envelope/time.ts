/**
 * The envelope's times (docs/PROTOCOL.md section 5): RFC 3339 UTC with milliseconds, in exactly the
 * form `Date.prototype.toISOString` gives for years 0000-9999 ("2026-01-01T00:00:00.000Z"), so one
 * instant has one text. Read with arithmetic rather than Date.parse and a toISOString round trip:
 * two of these run on every received envelope, and the round trip allocates a Date and a string.
 * A text is accepted exactly when every field is in range, which is when toISOString of the
 * instant would give it back (time.test.ts checks the two agree).
 */

const DIGIT_0 = 48;
/** Positions of the separators in YYYY-MM-DDTHH:MM:SS.mmmZ. */
const SEPARATORS: readonly [number, number][] = [
  [4, 45], // -
  [7, 45], // -
  [10, 84], // T
  [13, 58], // :
  [16, 58], // :
  [19, 46], // .
  [23, 90], // Z
];

/** The decimal value of s[from, to), or -1 if any of its characters is not an ASCII digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, m: number, d: number): number {
  const y = m <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Milliseconds since the epoch of an envelope time, or undefined if `s` is not one. */
export function parseEnvelopeTime(s: unknown): number | undefined {
  if (typeof s !== 'string' || s.length !== 24) return undefined;
  for (const [at, code] of SEPARATORS) if (s.charCodeAt(at) !== code) return undefined;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 7);
  const day = digits(s, 8, 10);
  const hour = digits(s, 11, 13);
  const minute = digits(s, 14, 16);
  const second = digits(s, 17, 19);
  const ms = digits(s, 20, 23);
  // -1 (not digits) fails the lower bounds; the upper bounds refuse what Date would roll over.
  if (year < 0 || ms < 0 || month < 1 || month > 12 || day < 1) return undefined;
  const monthDays = month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] as number);
  if (day > monthDays || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return undefined;
  }
  return (
    daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + ms
  );
}
