/**
 * Page queries must be index range scans that stop at LIMIT, never a scan or a sort of a whole
 * collection: the plans are read back from the database itself (EXPLAIN QUERY PLAN on SQLite,
 * EXPLAIN on PostgreSQL).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { createPgDatabase, pgDisabled } from '../../test/support/pg.js';
import { type Database, openDatabase } from './database.js';
import { createStixStore } from './kysely-stix-store.js';
import { pageQuery } from './stix-query.js';
import { stixVersion } from './stix-store.contract.js';
import type { ObjectQuery } from './stix-store.js';

const TYPES = ['indicator', 'malware', 'note', 'report'];

async function populate(database: Database): Promise<string> {
  await database.migrate();
  const store = createStixStore(database);
  let target = '';
  for (let k = 0; k < 3; k++) {
    const c = await store.createCollection({ alias: `plan-${k}`, title: 'plan' });
    if (k === 1) target = c.id;
    const objs = Array.from({ length: 2000 }, (_, i) =>
      stixVersion(`${TYPES[i % 4]}--${k}-${i}`, '2026-01-01T00:00:00.000Z'),
    );
    await store.ingest(c.id, objs);
    await store.ingest(
      c.id,
      objs.slice(0, 400).map((o) => stixVersion(o.head.id, '2026-01-02T00:00:00.000Z')),
    );
  }
  await sql`analyze`.execute(database.db);
  return target;
}

function queries(c: string): { q: ObjectQuery; sortsIds?: true }[] {
  return [
    { q: { collectionId: c, limit: 10 } },
    { q: { collectionId: c, limit: 10, addedAfterUs: 1n } },
    { q: { collectionId: c, limit: 10, versions: { kind: 'first' } } },
    { q: { collectionId: c, limit: 10, versions: { kind: 'all' } } },
    { q: { collectionId: c, limit: 10, specVersions: ['2.1'] } },
    { q: { collectionId: c, limit: 10, types: ['note'] } },
    { q: { collectionId: c, limit: 10, types: ['note', 'malware'], versions: { kind: 'all' } } },
    { q: { collectionId: c, limit: 10, types: ['note', 'malware', 'report'], addedAfterUs: 5n } },
    // Every version of a few ids: the primary key finds them; sorting those few rows is fine.
    { q: { collectionId: c, limit: 10, ids: ['note--1-2', 'malware--1-5'] }, sortsIds: true },
  ];
}

async function explain(database: Database, q: ObjectQuery, prefix: string): Promise<string[]> {
  const page = pageQuery(database.db, q);
  assert.ok(page);
  const c = page.compile();
  return database.transaction(async (tx) => {
    // Plans must not depend on how small the test tables are.
    if (database.dialect === 'postgres') await sql`set local enable_seqscan = off`.execute(tx);
    const r = await tx.executeQuery(CompiledQuery.raw(prefix + c.sql, [...c.parameters]));
    return (r.rows as Record<string, string>[]).map((row) => row.detail ?? row['QUERY PLAN'] ?? '');
  });
}

describe('page query plans (sqlite)', () => {
  it('search an index for every page query, and sort only the few rows of named ids', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-plan-'));
    const database = await openDatabase(`sqlite:${path.join(dir, 'plan.db')}`);
    try {
      const c = await populate(database);
      for (const { q, sortsIds } of queries(c)) {
        const plan = await explain(database, q, 'explain query plan ');
        const label = `${JSON.stringify(q, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}\n${plan.join('\n')}`;
        const onTable = plan.filter((l) => / stix_objects\b/.test(l));
        assert.ok(onTable.length > 0, label);
        for (const l of onTable) assert.match(l, /^SEARCH stix_objects USING (COVERING )?INDEX/, label);
        // A TEMP B-TREE right after a single SEARCH would sort the whole range; merges of limited
        // branches (MERGE (UNION ALL), SCAN tN) sort at most `limit` rows per branch.
        if (!sortsIds && !plan.some((l) => l.startsWith('MERGE'))) {
          assert.ok(!plan.some((l) => l.includes('TEMP B-TREE')), label);
        }
      }
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

if (!pgDisabled()) {
  describe('page query plans (postgres)', () => {
    it('scan an index for every page query, with no sort of a whole collection', async () => {
      const pg = await createPgDatabase('parley_plan');
      const database = await openDatabase(pg.url);
      try {
        const c = await populate(database);
        for (const { q, sortsIds } of queries(c)) {
          const plan = await explain(database, q, 'explain ');
          const label = `${JSON.stringify(q, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}\n${plan.join('\n')}`;
          assert.ok(
            plan.some((l) => /Index (Only )?Scan using stix_objects_/.test(l)),
            label,
          );
          assert.ok(!plan.some((l) => /Seq Scan|Bitmap/.test(l)), label);
          if (!sortsIds) assert.ok(!plan.some((l) => /(^|->)\s*Sort\s+\(cost/.test(l)), label);
        }
      } finally {
        await database.close();
        await pg.drop();
      }
    });
  });
}
