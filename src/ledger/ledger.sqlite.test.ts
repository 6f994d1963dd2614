import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../store/index.js';
import type { Opened } from './contract-support.js';
import { ledgerContract } from './ledger.contract.js';
import { tamperContract } from './ledger-tamper.contract.js';

async function open(): Promise<Opened> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-ledger-'));
  const url = `sqlite:${path.join(dir, 'node.db')}`;
  return {
    database: await openDatabase(url),
    concurrentConnections: false,
    openAnother: () => openDatabase(url),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

ledgerContract('sqlite', open);
tamperContract('sqlite', open);
