/**
 * Two processes ingesting into one SQLite file: BEGIN IMMEDIATE makes them queue on the write lock
 * (busy_timeout) instead of failing with SQLITE_BUSY, and date_added stays unique and increasing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from './database.js';
import { createStixStore } from './kysely-stix-store.js';
import type { WriterResult } from './sqlite-writer-child.js';

const child = fileURLToPath(new URL('./sqlite-writer-child.ts', import.meta.url));

interface Child<T> {
  ready: Promise<void>;
  go(): void;
  done: Promise<T>;
}

function startChild<T>(args: string[]): Child<T> {
  const p = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  p.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) markReady();
  });
  p.stderr.on('data', (d) => {
    err += d;
  });
  const done = new Promise<T>((resolve, reject) => {
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out.slice('ready\n'.length)) as T);
      else reject(new Error(`writer exited with ${code}: ${err}`));
    });
  });
  return { ready, go: () => p.stdin.end('go\n'), done };
}

/** Runs two writers that start their work at the same moment. */
async function together<T>(a: string[], b: string[]): Promise<[T, T]> {
  const children = [startChild<T>(a), startChild<T>(b)];
  await Promise.all(children.map((c) => c.ready));
  for (const c of children) c.go();
  return [await children[0]!.done, await children[1]!.done];
}

describe('SQLite with two writing processes', () => {
  it('queue on the write lock: no SQLITE_BUSY, no lost update, date_added unique and increasing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-writers-'));
    const url = `sqlite:${path.join(dir, 'shared.db')}`;
    const database = await openDatabase(url);
    try {
      await database.migrate();
      await sql`create table writer_counter (n integer not null)`.execute(database.db);
      await sql`insert into writer_counter values (0)`.execute(database.db);
      const store = createStixStore(database);
      const c = await store.createCollection({ alias: 'shared', title: 'shared' });
      const shared = 'indicator--5a8ee2b1-0c43-4bd6-8bb0-ae5bc7a3c6c7';
      const [a, b] = await together<WriterResult>([url, c.id, 'a', shared], [url, c.id, 'b', shared]);

      // With a deferred BEGIN, a transaction that read before another committed fails to write.
      assert.deepEqual([a.failures, b.failures], [0, 0]);
      const r = await sql<{ n: number }>`select n from writer_counter`.execute(database.db);
      assert.equal(r.rows[0]!.n, 120);

      const stored = [...a.outcomes, ...b.outcomes].filter((o) => o.status === 'stored');
      // 2 x 5 x 100 distinct objects, plus 5 distinct versions of the shared id (each stored once).
      assert.equal(stored.length, 1005);
      assert.equal(new Set(stored.map((o) => (o as { dateAdded: string }).dateAdded)).size, 1005);
      const rows = await store.query({ collectionId: c.id, limit: 10_000, versions: { kind: 'all' } });
      assert.equal(rows.length, 1005);
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i]!.dateAddedUs > rows[i - 1]!.dateAddedUs);
      const latest = (await store.versions(c.id, shared)).filter((v) => v.latest);
      assert.deepEqual(
        latest.map((v) => v.version),
        ['2026-01-01T00:00:04.000Z'],
      );
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
