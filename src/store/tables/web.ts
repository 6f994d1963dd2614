/** Row types of migration 0012-web: web sessions and whole-ledger verification runs. */

export interface WebSessionsTable {
  /** SHA-256 hex of the session cookie's value; the value itself is never stored. */
  id_hash: string;
  /** taxii_users.name: the session's user (its role is read from there on each request). */
  user_name: string;
  /** The CSRF token the session's state-changing requests must echo in x-csrf-token. */
  csrf: string;
  /** Milliseconds since the epoch. */
  created_at: number;
  last_seen_at: number;
  /** Absolute end of the session. */
  expires_at: number;
}

export interface LedgerVerificationsTable {
  id: string;
  /** 'running' | 'done' | 'failed' */
  state: string;
  started: string;
  finished: string | null;
  /** 1 when the whole log checked, 0 when a problem was found; null while running. */
  ok: number | null;
  size: number | null;
  /** The first problem found (JSON), or why the run failed. */
  problem: string | null;
  /** Who asked for the run (user:NAME or token:ID). */
  by_principal: string;
}

export interface WebTables {
  web_sessions: WebSessionsTable;
  ledger_verifications: LedgerVerificationsTable;
}
