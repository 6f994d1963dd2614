import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { createPgDatabase, pgDisabled } from '../../test/support/pg.js';
import { type Database, openDatabase } from './database.js';

function suite(name: string, open: () => Promise<{ database: Database; cleanup: () => Promise<void> }>) {
  describe(`Database (${name})`, () => {
    it('migrates twice without error, and rolls back a failed transaction', async () => {
      const { database, cleanup } = await open();
      try {
        await database.migrate();
        await database.migrate();
        const row0 = {
          id: 'c1',
          alias: 'one',
          title: 'One',
          description: null,
          media_types: '[]',
          created: 'x',
        };
        await assert.rejects(
          database.transaction(async (tx) => {
            await database.lock(tx, 'test-resource');
            await tx.insertInto('stix_collections').values(row0).execute();
            throw new Error('abort');
          }),
          /abort/,
        );
        const n = await database.db
          .selectFrom('stix_collections')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow();
        assert.equal(Number(n.n), 0);
        await database.transaction(async (tx) => {
          await database.lock(tx, 'test-resource');
          await tx.insertInto('stix_collections').values(row0).execute();
        });
        const row = await database.db.selectFrom('stix_collections').selectAll().executeTakeFirstOrThrow();
        // BIGINT reads back as a number on both back ends.
        assert.equal(row.last_added_us, 0);
      } finally {
        await database.close();
        await cleanup();
      }
    });
  });
}

suite('sqlite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-db-'));
  // A missing directory is created.
  const database = await openDatabase(`sqlite:${path.join(dir, 'nested', 'node.db')}`);
  return { database, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

if (!pgDisabled()) {
  suite('postgres', async () => {
    const t = await createPgDatabase();
    const database = await openDatabase(t.url);
    return { database, cleanup: () => t.drop() };
  });
}

describe('openDatabase', () => {
  it('rejects unknown schemes and relative SQLite paths', async () => {
    await assert.rejects(openDatabase('mysql://x'), { code: 'store.bad_url' });
    await assert.rejects(openDatabase('sqlite:relative.db'), { code: 'store.bad_url' });
  });
});
