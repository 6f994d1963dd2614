/**
 * A second process writing to the same SQLite file, for sqlite-writers.test.ts:
 *   node --import tsx sqlite-writer-child.ts <db-url> <collection-id> <tag> <shared-id>
 * Prints `ready`, waits for a line on stdin (so two writers really overlap), then runs 60
 * read-wait-write transactions on a counter and 5 ingest batches, and prints one JSON line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openDatabase } from './database.js';
import { createStixStore } from './kysely-stix-store.js';
import { stixVersion } from './stix-store.contract.js';
import type { IngestOutcome } from './stix-store.js';

export interface WriterResult {
  failures: number;
  outcomes: IngestOutcome[];
}

const [url, collectionId, tag, sharedId] = process.argv.slice(2);
const database = await openDatabase(url!);
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();

const result: WriterResult = { failures: 0, outcomes: [] };
for (let i = 0; i < 60; i++) {
  try {
    await database.transaction(async (tx) => {
      const r = await sql<{ n: number }>`select n from writer_counter`.execute(tx);
      await sleep(2); // a reader that waits before writing: the case BEGIN IMMEDIATE is for
      await sql`update writer_counter set n = ${r.rows[0]!.n + 1}`.execute(tx);
    });
  } catch {
    result.failures++;
  }
}
const store = createStixStore(database);
for (let k = 0; k < 5; k++) {
  const batch = Array.from({ length: 100 }, (_, i) =>
    stixVersion(`indicator--${tag}-${k}-${i}`, '2026-01-01T00:00:00.000Z'),
  );
  batch.push(stixVersion(sharedId!, new Date(Date.UTC(2026, 0, 1, 0, 0, k)).toISOString()));
  result.outcomes.push(...(await store.ingest(collectionId!, batch)));
}
await database.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
