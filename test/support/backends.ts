/**
 * The storage back ends every storage test runs on: SQLite (a temporary file) and PostgreSQL (a
 * uniquely named database, dropped afterwards).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgDatabase, pgDisabled } from './pg.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Makes a fresh, empty database and returns its URL and how to remove it. */
  fresh(): Promise<{ url: string; drop(): Promise<void> }>;
}

export const sqliteBackend: Backend = {
  name: 'sqlite',
  async fresh() {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-sqlite-'));
    return {
      url: `sqlite:${path.join(dir, 'test.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export const postgresBackend: Backend = {
  name: 'postgres',
  fresh: () => createPgDatabase(),
};

/** Both back ends, unless PostgreSQL was explicitly turned off outside CI (PARLEY_TEST_PG=off). */
export const BACKENDS: Backend[] = pgDisabled() ? [sqliteBackend] : [sqliteBackend, postgresBackend];
