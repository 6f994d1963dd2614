/**
 * Runs one ingest in its own process and prints its summary and peak memory (VmHWM) as JSON on the
 * last line, so a test can hold the ingest to a memory bound.
 * Usage: node --import tsx test/intel/ingest-child.ts FILE sqlite:/path.db
 */
import { createReadStream, readFileSync } from 'node:fs';
import { ingest } from '../../src/intel/index.js';
import { defaultValidator } from '../../src/stix/index.js';
import { createStixStore, openDatabase } from '../../src/store/index.js';

const [file, url] = process.argv.slice(2) as [string, string];
const database = await openDatabase(url);
await database.migrate();
await createStixStore(database).createCollection({ alias: 'local', title: 'local' });
const s = await ingest({ database, validator: defaultValidator() }, createReadStream(file), {
  collection: 'local',
});
await database.close();
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const peakMiB = hwm ? Math.round(Number(hwm[1]) / 1024) : -1;
process.stdout.write(
  `${JSON.stringify({ read: s.read, stored: s.stored, rejected: s.rejected, peakMiB })}\n`,
);
