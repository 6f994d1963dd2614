/**
 * TAXII timestamps (TAXII 2.1 section 2.5: RFC 3339, UTC, `Z`). date_added carries microseconds
 * because parley gives every stored version a distinct date_added and clients resume from it.
 */
import { invalid } from '../../core/index.js';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz])$/;

/**
 * Microseconds since the epoch. Digits past the sixth are dropped (floor), which is exact for an
 * exclusive lower bound: date_added > t  <=>  date_added > floor_us(t), since date_added is whole µs.
 */
export function parseTimestampUs(value: string, field: string): bigint {
  const m = RFC3339.exec(value);
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
  if (!m || Number.isNaN(ms) || +m[2]! > 12 || +m[3]! > 31 || +m[4]! > 23 || +m[5]! > 59 || +m[6]! > 60) {
    throw invalid(
      'taxii.bad_timestamp',
      `${field} must be an RFC 3339 UTC timestamp like 2026-01-01T00:00:00.000Z, got "${value}"`,
      {
        field,
      },
    );
  }
  const frac = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(ms) * 1000n + BigInt(frac);
}

/** RFC 3339 with exactly six fractional digits, e.g. 2026-01-01T00:00:00.000001Z. */
export function formatTimestampUs(us: bigint): string {
  const ms = us / 1000n;
  const iso = new Date(Number(ms)).toISOString(); // ...ss.mmmZ
  const micro = (us % 1000n).toString().padStart(3, '0');
  return `${iso.slice(0, -1)}${micro}Z`;
}
