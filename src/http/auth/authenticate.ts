/**
 * Turns an Authorization header into a Principal. Basic (RFC 7617) checks an scrypt hash, which is
 * deliberately slow, so a verified header is remembered for a short while (keyed by its SHA-256,
 * never in clear); Bearer tokens (RFC 6750) are one indexed lookup by hash, also cached briefly.
 * A revoked token or removed user stops working within CACHE_MS, or at once via `forget()`.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import { systemClock } from '../../core/index.js';
import type { Principal, Principals } from './principals.js';
import { hashToken, verifyPassword } from './secrets.js';

const CACHE_MS = 30_000;
const CACHE_MAX = 1000;

/** The WWW-Authenticate challenges sent with a 401 (RFC 9110 section 11.6.1). */
export const CHALLENGES = ['Basic realm="parley", charset="UTF-8"', 'Bearer realm="parley"'];

export class Authenticator {
  private readonly cache = new Map<string, { p: Principal; until: number }>();

  constructor(
    private readonly principals: Principals,
    private readonly clock: Clock = systemClock,
  ) {}

  /** undefined when the header is missing, malformed or wrong. */
  async authenticate(header: string | undefined): Promise<Principal | undefined> {
    if (!header) return undefined;
    const key = createHash('sha256').update(header).digest('base64');
    const now = this.clock.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) return hit.p;
    const p = await this.check(header);
    if (p) {
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, { p, until: now + CACHE_MS });
    }
    return p;
  }

  /** Drops every cached verification, e.g. after revoking a token. */
  forget(): void {
    this.cache.clear();
  }

  private async check(header: string): Promise<Principal | undefined> {
    const sp = header.indexOf(' ');
    if (sp < 0) return undefined;
    const scheme = header.slice(0, sp).toLowerCase();
    const value = header.slice(sp + 1).trim();
    // `Token` is what the reference TAXII client's TokenAuth sends; it carries the same API token.
    if (scheme === 'bearer' || scheme === 'token') return this.principals.byTokenHash(hashToken(value));
    if (scheme !== 'basic') return undefined;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const name = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const user = await this.principals.user(name);
    if (!user) return undefined;
    return (await verifyPassword(password, user.passwordHash))
      ? { id: `user:${name}`, role: user.role }
      : undefined;
  }
}
