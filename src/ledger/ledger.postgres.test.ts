import { createPgDatabase, pgDisabled } from '../../test/support/pg.js';
import { openDatabase } from '../store/index.js';
import type { Opened } from './contract-support.js';
import { ledgerContract } from './ledger.contract.js';
import { tamperContract } from './ledger-tamper.contract.js';

async function open(): Promise<Opened> {
  const t = await createPgDatabase('parley_ledger');
  return {
    database: await openDatabase(t.url),
    concurrentConnections: true,
    openAnother: () => openDatabase(t.url),
    cleanup: () => t.drop(),
  };
}

if (!pgDisabled()) {
  ledgerContract('postgres', open);
  tamperContract('postgres', open);
}
