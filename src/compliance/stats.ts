/** Summary statistics of durations (ms), defined so a person can compute them by hand. */

export interface Summary {
  count: number;
  /** The middle value; with an even count, the mean of the two middle values. */
  median: number | null;
  /** Nearest rank: the value at position ceil(0.9 n) of the sorted values (1-based). */
  p90: number | null;
  max: number | null;
}

export function summarise(values: ArrayLike<number>): Summary {
  const n = values.length;
  if (n === 0) return { count: 0, median: null, p90: null, max: null };
  const s = Float64Array.from(values).sort();
  const median = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return { count: n, median, p90: s[Math.ceil(0.9 * n) - 1]!, max: s[n - 1]! };
}

/** A share: `within` of `of`, and the ratio (null when `of` is 0), rounded to 4 decimals. */
export interface Share {
  within: number;
  of: number;
  share: number | null;
}

export const share = (within: number, of: number): Share => ({
  within,
  of,
  share: of === 0 ? null : Math.round((within / of) * 10_000) / 10_000,
});
