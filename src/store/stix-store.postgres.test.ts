import { after, before } from 'node:test';
import { createPgDatabase, pgDisabled, type TestDatabase } from '../../test/support/pg.js';
import { openDatabase } from './database.js';
import { createStixStore } from './kysely-stix-store.js';
import { runStixStoreContract } from './stix-store.contract.js';

if (!pgDisabled()) {
  let pg: TestDatabase;
  before(async () => {
    pg = await createPgDatabase('parley_stix');
    const database = await openDatabase(pg.url);
    await database.migrate();
    await database.close();
  });
  after(() => pg?.drop());

  runStixStoreContract(
    'postgres',
    async (opts) => {
      const database = await openDatabase(pg.url);
      return { store: createStixStore(database, opts), close: () => database.close() };
    },
    { concurrentHandles: true },
  );
}
