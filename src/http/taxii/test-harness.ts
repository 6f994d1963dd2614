/**
 * Test support: a node with TAXII mounted on a fresh SQLite file or PostgreSQL database, an admin
 * token, a reader token and a writer token. Used by the TAXII and TAXII client tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createPgDatabase } from '../../../test/support/pg.js';
import type { Clock } from '../../core/index.js';
import { createStixStore, type Database, openDatabase, type StixStore } from '../../store/index.js';
import { buildHttpServer } from '../server.js';
import { createTaxiiContext, type TaxiiContext } from './context.js';
import type { StixValidator } from './ingest.js';
import { openApiPlugin } from './openapi.js';
import { taxiiPlugin } from './plugin.js';
import { stixValidator } from './stix-validator.js';

export type Backend = 'sqlite' | 'postgres';

export interface Harness {
  app: FastifyInstance;
  ctx: TaxiiContext;
  database: Database;
  store: StixStore;
  tokens: { admin: string; reader: string; writer: string };
  close(): Promise<void>;
}

export async function openTestDatabase(
  backend: Backend,
): Promise<{ database: Database; drop(): Promise<void> }> {
  if (backend === 'postgres') {
    const pg = await createPgDatabase('parley_taxii');
    const database = await openDatabase(pg.url);
    await database.migrate();
    return {
      database,
      async drop() {
        await database.close();
        await pg.drop();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-taxii-'));
  const database = await openDatabase(`sqlite:${path.join(dir, 'node.db')}`);
  await database.migrate();
  return {
    database,
    async drop() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startHarness(
  opts: {
    backend?: Backend;
    maxPageSize?: number;
    validate?: StixValidator;
    syncIngestLimit?: number;
    clock?: Clock;
  } = {},
): Promise<Harness> {
  const { database, drop } = await openTestDatabase(opts.backend ?? 'sqlite');
  const store = createStixStore(database);
  const ctx = createTaxiiContext({
    database,
    store,
    validate: opts.validate ?? stixValidator,
    maxPageSize: opts.maxPageSize ?? 1000,
    ...(opts.syncIngestLimit !== undefined ? { syncIngestLimit: opts.syncIngestLimit } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const app = await buildHttpServer({ health: async () => ({}), logLevel: 'silent' }, [
    openApiPlugin(),
    taxiiPlugin(ctx),
  ]);
  const admin = (await ctx.principals.createToken('admin')).token;
  const reader = (await ctx.principals.createToken('reader')).token;
  const writer = (await ctx.principals.createToken('writer')).token;
  return {
    app,
    ctx,
    database,
    store,
    tokens: { admin, reader, writer },
    async close() {
      await app.close();
      await drop();
    },
  };
}

const seq = 0;
/** A valid STIX 2.1 indicator; `n` makes the id unique and deterministic. */
export function indicator(n: number, modified = '2026-01-01T00:00:00.000Z'): Record<string, unknown> {
  const hex = (n + seq * 0).toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${hex}`,
    created: '2026-01-01T00:00:00.000Z',
    modified,
    name: `indicator ${n}`,
    pattern: `[ipv4-addr:value = '10.0.${(n >> 8) & 255}.${n & 255}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
  };
}
