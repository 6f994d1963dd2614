/**
 * Retry delays: exponential with full jitter (a random delay between 0 and the exponential step),
 * so that many items waiting on one peer do not hammer it in lock-step when it comes back.
 */
export interface Backoff {
  /** First step, ms. */
  baseMs: number;
  /** Largest step, ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** The delay before attempt number `attempts + 1`, given `attempts` failed so far (>= 1). */
export function retryDelay(attempts: number, b: Backoff = DEFAULT_BACKOFF, random = Math.random): number {
  const step = Math.min(b.maxMs, b.baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  // Never 0: a peer that just failed is not tried again in the same pass.
  return Math.max(1, Math.floor(random() * step));
}
