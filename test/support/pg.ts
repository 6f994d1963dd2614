/**
 * PostgreSQL for tests: each call creates a uniquely named database and returns a URL and a drop
 * function. PostgreSQL is required: in CI (CI=true) an unreachable server fails the run; elsewhere
 * too, unless PARLEY_TEST_PG=off says so explicitly (then PG-backed tests are skipped, by name).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const pgDisabled = (): boolean => process.env.PARLEY_TEST_PG === 'off' && process.env.CI !== 'true';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createPgDatabase(prefix = 'parley_test'): Promise<TestDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(e as Error).message}); start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, ' +
        'or set PARLEY_TEST_PG=off outside CI to skip PostgreSQL tests',
    );
  }
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
