/**
 * Slows password guessing on the sign-in form: after FAILS_PER_USER wrong passwords for one user
 * name (or FAILS_PER_CLIENT from one address) within WINDOW_MS, further attempts are refused with
 * 429 until the window has passed, even with the right password, so a guesser learns nothing from
 * the answer. A success clears the user's count. Kept in memory: a restart forgives, which is fine
 * for a brake (the password hash's scrypt work stays the real cost of a guess).
 */
import { type Clock, ParleyError, systemClock } from '../../core/index.js';

export const WINDOW_MS = 15 * 60_000;
export const FAILS_PER_USER = 5;
export const FAILS_PER_CLIENT = 20;
const MAX_KEYS = 10_000;

interface Count {
  fails: number;
  since: number;
}

export class SignInGuard {
  private readonly counts = new Map<string, Count>();

  constructor(private readonly clock: Clock = systemClock) {}

  /** Throws auth.too_many_attempts (429) when `user` or `client` is over its limit. */
  check(user: string, client: string): void {
    const now = this.clock.now();
    for (const [key, max] of [
      [`u:${user.toLowerCase()}`, FAILS_PER_USER],
      [`c:${client}`, FAILS_PER_CLIENT],
    ] as const) {
      const c = this.live(key, now);
      if (c && c.fails >= max) {
        const retryS = Math.max(1, Math.ceil((c.since + WINDOW_MS - now) / 1000));
        throw new ParleyError(
          'auth.too_many_attempts',
          `too many failed sign-ins; try again in ${Math.ceil(retryS / 60)} minute(s)`,
          429,
          { retryAfter: retryS },
        );
      }
    }
  }

  failed(user: string, client: string): void {
    const now = this.clock.now();
    for (const key of [`u:${user.toLowerCase()}`, `c:${client}`]) {
      const c = this.live(key, now) ?? { fails: 0, since: now };
      c.fails += 1;
      this.counts.delete(key);
      this.counts.set(key, c);
    }
    // Bounded: the oldest counts go first.
    while (this.counts.size > MAX_KEYS) this.counts.delete(this.counts.keys().next().value as string);
  }

  succeeded(user: string): void {
    this.counts.delete(`u:${user.toLowerCase()}`);
  }

  private live(key: string, now: number): Count | undefined {
    const c = this.counts.get(key);
    if (c && now - c.since >= WINDOW_MS) {
      this.counts.delete(key);
      return undefined;
    }
    return c;
  }
}
