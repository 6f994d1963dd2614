/**
 * The database of a node: SQLite (one file, the embedded default) or PostgreSQL (several processes
 * sharing one server), both behind Kysely so that every part writes one SQL text for both.
 *
 * Back-end differences that matter to callers:
 * - Concurrency. SQLite has one connection per process, serialised by Kysely, and one writer per
 *   file: every transaction here begins with BEGIN IMMEDIATE, so two processes on one file queue on
 *   the write lock (busy_timeout) instead of failing with SQLITE_BUSY when a reader upgrades.
 *   WAL mode lets readers run beside that writer. PostgreSQL runs transactions concurrently
 *   (READ COMMITTED): code that reads then writes shared state must lock, with `SELECT ... FOR UPDATE`
 *   on a row or `lock(tx, name)` for a named resource (a transaction-scoped advisory lock; a no-op on
 *   SQLite, whose write transactions are already exclusive).
 * - Integers. BIGINT columns read back as JS numbers on both back ends (pg's default is a string; a
 *   value beyond 2^53 throws instead of losing digits). Booleans are stored as 0/1 integers.
 * - DDL. PostgreSQL migrations are transactional; SQLite's are not (Kysely runs them one by one).
 *   Migrations that must differ (identity columns and the like) branch on `dialectOf(db)`.
 * - Bulk writes. SQLite wants multi-row VALUES of about 500 rows (statements are cached here by
 *   text, so keep the text stable); PostgreSQL wants whole columns as arrays (`unnest($1::text[])`,
 *   `= any($1::text[])`), far fewer parameters to bind: see ingest-sql.ts.
 * - `FOR UPDATE`, array operators and similar syntax differ: check `dialect`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { internal, invalid } from '../core/errors.js';
import type { DialectName } from './dialect.js';
import { migrationProvider } from './migrations/index.js';
import type { Schema } from './schema.js';

export type { DialectName } from './dialect.js';

export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  /**
   * Runs `fn` in one transaction (BEGIN IMMEDIATE on SQLite); commits if it resolves, else rolls back.
   * Inside `fn` use only `tx`: on SQLite `db` (or a nested `transaction`) waits for the one
   * connection that `fn` holds, and never gets it.
   */
  transaction<T>(fn: (tx: Transaction<Schema>) => Promise<T>): Promise<T>;
  /**
   * Holds an exclusive lock on the named resource until `tx` ends, e.g. `lock(tx, 'ledger')` for a
   * single-writer log. PostgreSQL: pg_advisory_xact_lock(hashtext(name)); SQLite: nothing to do.
   */
  lock(tx: Transaction<Schema>, name: string): Promise<void>;
  /** Brings the schema to the latest migration; throws (with the failing migration's name) on error. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Opens `sqlite:/abs/path.db`, `sqlite::memory:` or `postgres://user@host:port/db`. Does not migrate. */
export async function openDatabase(url: string): Promise<Database> {
  if (url.startsWith('sqlite:')) return wrap(new Kysely<Schema>({ dialect: sqliteDialect(url) }), 'sqlite');
  if (/^postgres(ql)?:\/\//.test(url))
    return wrap(new Kysely<Schema>({ dialect: pgDialect(url) }), 'postgres');
  throw invalid('store.bad_url', `database URL must start with sqlite: or postgres://, got "${url}"`);
}

function wrap(db: Kysely<Schema>, dialect: DialectName): Database {
  return {
    db,
    dialect,
    transaction: (fn) => db.transaction().execute(fn),
    async lock(tx, name) {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(tx);
    },
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        // Parts add migrations in parallel branches; a late-merged name sorting before an applied one
        // must still run rather than block the node.
        allowUnorderedMigrations: true,
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '(unknown)';
        throw internal(`database migration ${failed} failed: ${(error as Error).message ?? error}`, error);
      }
    },
    close: () => db.destroy(),
  };
}

function sqliteFile(url: string): string {
  let p = url.slice('sqlite:'.length);
  if (p === ':memory:') return p;
  if (p.startsWith('//')) p = p.slice(2); // sqlite:///abs/path
  if (!path.isAbsolute(p)) {
    throw invalid(
      'store.bad_url',
      `SQLite path must be absolute (resolve it against the data directory), got "${p}"`,
    );
  }
  return p;
}

function sqliteDialect(url: string): Dialect {
  const file = sqliteFile(url);
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a process crash; only an OS crash can lose the last ones.
  raw.pragma('synchronous = NORMAL');
  // Checkpoint every 10,000 WAL pages (~40 MiB) rather than 1,000: a checkpoint copies pages back and
  // syncs the file inside some commit, and the pages a write burst rewrites (index and table tails)
  // are copied once instead of once per 4 MiB. Batched ledger appends run ~15% faster; memory is
  // unchanged (the WAL is a file; its shared index grows by ~32 KiB per 4,096 pages). The page cache
  // stays at this build's default of 16,000 KiB per connection: 32 and 64 MiB measured no faster.
  raw.pragma('wal_autocheckpoint = 10000');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  return new ImmediateSqliteDialect({ database: cachingDatabase(raw) });
}

/** Kysely prepares each query anew; reusing statements saves the parse of repeated multi-row inserts. */
function cachingDatabase(raw: BetterSqlite3.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = raw.prepare(text);
        if (cache.size >= 256) cache.delete(cache.keys().next().value as string);
        cache.set(text, stmt);
      }
      return stmt;
    },
  };
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** BEGIN IMMEDIATE takes the write lock up front, so concurrent writers wait (busy_timeout) instead of deadlocking. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

const INT8_OID = 20;

function pgDialect(url: string): Dialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8_OID && format !== 'binary') return parseInt8;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle pooled connection that the server ends (a restart, pg_terminate_backend, DROP DATABASE
  // ... WITH (FORCE)) emits 'error' on the pool; unheard, that is an uncaught exception that would
  // stop the node. The pool has already discarded the client, and the next query opens a new one.
  pool.on('error', () => {});
  return new PostgresDialect({ pool });
}

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw internal(`BIGINT ${text} does not fit a JS number`);
  return n;
}
