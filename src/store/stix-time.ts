/**
 * date_added as microseconds since the epoch, and the RFC 3339 text TAXII shows. TAXII 2.1
 * (section 3.4.2) pages on date_added with an exclusive `added_after`; microsecond precision lets a
 * batch of thousands, stored within one millisecond, still get distinct, strictly increasing values.
 */

/** 1700000000000001 -> '2023-11-14T22:13:20.000001Z' (always six fractional digits). */
export function formatDateAdded(us: number | bigint): string {
  // Below 2^53 µs (the year 2255) number arithmetic is exact; beyond, BigInt.
  if (typeof us === 'bigint' && us > BigInt(Number.MAX_SAFE_INTEGER)) {
    const frac = (us % 1_000_000n).toString().padStart(6, '0');
    return `${new Date(Number(us / 1_000_000n) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
  }
  const n = Number(us);
  const seconds = Math.floor(n / 1_000_000);
  const frac = n - seconds * 1_000_000;
  return `${secondText(seconds)}.${frac.toString().padStart(6, '0')}Z`;
}

// A batch stored within one second formats the same prefix thousands of times: keep the last one.
let lastSecond = Number.NaN;
let lastSecondText = '';
function secondText(seconds: number): string {
  if (seconds !== lastSecond) {
    lastSecondText = new Date(seconds * 1000).toISOString().slice(0, 19);
    lastSecond = seconds;
  }
  return lastSecondText;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * RFC 3339 text -> microseconds since the epoch, digits past the sixth truncated (right for an
 * exclusive lower bound such as added_after). Undefined when the text is not RFC 3339.
 */
export function parseDateAddedUs(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]!.toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  const micros = BigInt((m[2] ?? '').slice(0, 6).padEnd(6, '0'));
  return BigInt(ms) * 1000n + micros;
}

const STIX_TS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * A key that orders STIX versions by time: '...00Z' and '...00.000Z' are the same instant but
 * compare differently as text ('.' < 'Z'), so the fraction is padded to nine digits. Versions that
 * are not STIX timestamps (the '' of SCOs) keep their text and sort first.
 */
export function versionOrderKey(version: string): string {
  const m = STIX_TS.exec(version);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : version;
}
