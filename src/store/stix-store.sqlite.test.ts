import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { openDatabase } from './database.js';
import { createStixStore } from './kysely-stix-store.js';
import { runStixStoreContract } from './stix-store.contract.js';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-stix-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let migrated = false;
runStixStoreContract('sqlite', async (opts) => {
  const database = await openDatabase(`sqlite:${path.join(dir, 'store.db')}`);
  if (!migrated) {
    await database.migrate();
    migrated = true;
  }
  return { store: createStixStore(database, opts), close: () => database.close() };
});
