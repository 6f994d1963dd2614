import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../store/index.js';
import { ledgerContract } from './ledger.contract.js';

ledgerContract('sqlite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-ledger-'));
  const url = `sqlite:${path.join(dir, 'node.db')}`;
  return {
    database: await openDatabase(url),
    concurrentConnections: false,
    openAnother: () => openDatabase(url),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
