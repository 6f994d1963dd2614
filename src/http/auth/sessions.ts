/**
 * Browser sessions. Signing in checks a user's password (scrypt) and stores a session whose id is 32
 * random bytes; only its SHA-256 is stored, so a copy of the database lets no one in. Each session
 * has its own CSRF token. A session ends at sign-out, when its user is removed, after IDLE_MS
 * without a request, or MAX_MS after sign-in. The user's role is read on every request, so a
 * changed role applies at once.
 */
import { randomBytes } from 'node:crypto';
import { type Clock, isoMillis, ParleyError, systemClock } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import type { Principals } from './principals.js';
import { hashPassword, hashToken, verifyPassword } from './secrets.js';

export const SESSION_COOKIE = 'parley_session';
export const SESSION_IDLE_MS = 8 * 3_600_000;
export const SESSION_MAX_MS = 24 * 3_600_000;
/** last_seen_at is written at most this often: a page's burst of requests costs one write. */
const TOUCH_MS = 60_000;

export interface SessionInfo {
  user: string;
  role: string;
  csrf: string;
  /** When the session ends if unused (RFC 3339). */
  expires: string;
}

// Compared against when the user does not exist, so an unknown name costs the same scrypt work as
// a wrong password and the two cannot be told apart by timing.
let decoy: Promise<string> | undefined;
const decoyHash = () => {
  decoy ??= hashPassword(randomBytes(16).toString('base64url'));
  return decoy;
};

export const badCredentials = () =>
  new ParleyError('auth.bad_credentials', 'user name or password is wrong', 401);

export class Sessions {
  constructor(
    private readonly database: Database,
    private readonly principals: Principals,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Checks the password and opens a session; the clear token is returned here only. */
  async signIn(user: string, password: string): Promise<{ token: string; session: SessionInfo }> {
    const u = typeof user === 'string' && user.length <= 128 ? await this.principals.user(user) : undefined;
    const ok = await verifyPassword(String(password), u ? u.passwordHash : await decoyHash());
    if (!u || !ok) throw badCredentials();
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = this.clock.now();
    await this.database.db
      .insertInto('web_sessions')
      .values({
        id_hash: hashToken(token),
        user_name: user,
        csrf,
        created_at: now,
        last_seen_at: now,
        expires_at: now + SESSION_MAX_MS,
      })
      .execute();
    // Sessions long over are dropped here, so the table does not grow without a sweeper.
    await this.database.db.deleteFrom('web_sessions').where('expires_at', '<', now).execute();
    return { token, session: { user, role: u.role, csrf, expires: this.endOf(now, now + SESSION_MAX_MS) } };
  }

  /** The live session of a cookie value, or undefined (unknown, expired, or its user removed). */
  async lookup(token: string): Promise<SessionInfo | undefined> {
    if (!token || token.length > 100) return undefined;
    const idHash = hashToken(token);
    const row = await this.database.db
      .selectFrom('web_sessions')
      .innerJoin('taxii_users', 'taxii_users.name', 'web_sessions.user_name')
      .select([
        'web_sessions.user_name as user',
        'taxii_users.role as role',
        'web_sessions.csrf as csrf',
        'web_sessions.last_seen_at as lastSeen',
        'web_sessions.expires_at as expiresAt',
      ])
      .where('web_sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.clock.now();
    const lastSeen = Number(row.lastSeen);
    const expiresAt = Number(row.expiresAt);
    if (now >= expiresAt || now >= lastSeen + SESSION_IDLE_MS) {
      await this.database.db.deleteFrom('web_sessions').where('id_hash', '=', idHash).execute();
      return undefined;
    }
    let seen = lastSeen;
    if (now - lastSeen >= TOUCH_MS) {
      seen = now;
      await this.database.db
        .updateTable('web_sessions')
        .set({ last_seen_at: now })
        .where('id_hash', '=', idHash)
        .execute();
    }
    return { user: row.user, role: row.role, csrf: row.csrf, expires: this.endOf(seen, expiresAt) };
  }

  async signOut(token: string): Promise<void> {
    await this.database.db.deleteFrom('web_sessions').where('id_hash', '=', hashToken(token)).execute();
  }

  /** Ends every session of a user (after removing it or changing its password). */
  async endAll(user: string): Promise<number> {
    const r = await this.database.db
      .deleteFrom('web_sessions')
      .where('user_name', '=', user)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  private endOf(lastSeen: number, expiresAt: number): string {
    return isoMillis(Math.min(lastSeen + SESSION_IDLE_MS, expiresAt));
  }
}
