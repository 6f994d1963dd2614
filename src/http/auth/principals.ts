/**
 * Who may call the node's TAXII surface: users (HTTP Basic, RFC 7617) and API tokens (Bearer,
 * RFC 6750), each with one role. Roles are plain names; what a role may do per collection lives in
 * taxii_permissions. The role `admin` may do everything.
 */
import { randomBytes } from 'node:crypto';
import { conflict, invalid, notFound } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import { hashPassword, hashToken, newToken } from './secrets.js';

export const ADMIN_ROLE = 'admin';

export interface Principal {
  /** `user:NAME` or `token:ID`: stable, shown in logs and status owners. */
  id: string;
  role: string;
}

export interface TokenInfo {
  id: string;
  role: string;
  label: string | null;
  created: string;
}

const ROLE_RE = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const USER_RE = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/;

export function checkRole(role: string): string {
  if (!ROLE_RE.test(role)) {
    throw invalid('auth.bad_role', `role must match ${ROLE_RE.source}, got "${role}"`, { role });
  }
  return role;
}

/** Reads and writes users and tokens; never holds a secret in clear beyond the call that made it. */
export class Principals {
  constructor(private readonly database: Database) {}

  /** Creates a token; the clear token is returned here once and never again. */
  async createToken(role: string, label?: string): Promise<{ id: string; token: string }> {
    checkRole(role);
    const token = newToken();
    const id = randomBytes(6).toString('hex');
    await this.database.db
      .insertInto('taxii_tokens')
      .values({
        id,
        token_hash: hashToken(token),
        role,
        label: label ?? null,
        created: new Date().toISOString(),
      })
      .execute();
    return { id, token };
  }

  async listTokens(): Promise<TokenInfo[]> {
    return this.database.db
      .selectFrom('taxii_tokens')
      .select(['id', 'role', 'label', 'created'])
      .orderBy('created')
      .execute();
  }

  async revokeToken(id: string): Promise<void> {
    const r = await this.database.db.deleteFrom('taxii_tokens').where('id', '=', id).executeTakeFirst();
    if (!r.numDeletedRows) throw notFound('auth.no_such_token', `no token with id "${id}"`, { id });
  }

  async byTokenHash(hash: string): Promise<Principal | undefined> {
    const row = await this.database.db
      .selectFrom('taxii_tokens')
      .select(['id', 'role'])
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    return row ? { id: `token:${row.id}`, role: row.role } : undefined;
  }

  async addUser(name: string, role: string, password: string): Promise<void> {
    if (!USER_RE.test(name)) {
      throw invalid('auth.bad_user', `user name must match ${USER_RE.source}, got "${name}"`, { name });
    }
    checkRole(role);
    if (password.length < 8) throw invalid('auth.weak_password', 'a password needs at least 8 characters');
    const exists = await this.database.db
      .selectFrom('taxii_users')
      .select('name')
      .where('name', '=', name)
      .executeTakeFirst();
    if (exists) throw conflict('auth.user_exists', `user "${name}" already exists`, { name });
    await this.database.db
      .insertInto('taxii_users')
      .values({ name, role, password_hash: await hashPassword(password), created: new Date().toISOString() })
      .execute();
  }

  async removeUser(name: string): Promise<void> {
    const r = await this.database.db.deleteFrom('taxii_users').where('name', '=', name).executeTakeFirst();
    if (!r.numDeletedRows) throw notFound('auth.no_such_user', `no user "${name}"`, { name });
  }

  async listUsers(): Promise<{ name: string; role: string; created: string }[]> {
    return this.database.db
      .selectFrom('taxii_users')
      .select(['name', 'role', 'created'])
      .orderBy('name')
      .execute();
  }

  async user(name: string): Promise<{ role: string; passwordHash: string } | undefined> {
    const row = await this.database.db
      .selectFrom('taxii_users')
      .select(['role', 'password_hash'])
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? { role: row.role, passwordHash: row.password_hash } : undefined;
  }
}
