import { createPgDatabase, pgDisabled } from '../../test/support/pg.js';
import { openDatabase } from '../store/index.js';
import { ledgerContract } from './ledger.contract.js';

if (!pgDisabled()) {
  ledgerContract('postgres', async () => {
    const t = await createPgDatabase('parley_ledger');
    return {
      database: await openDatabase(t.url),
      concurrentConnections: true,
      openAnother: () => openDatabase(t.url),
      cleanup: () => t.drop(),
    };
  });
}
