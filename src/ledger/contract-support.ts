/**
 * Helpers shared by the ledger's contract suites (ledger.contract.ts, ledger-tamper.contract.ts),
 * which every back end runs: one database per suite, sample entries, a fill routine, byte mutation.
 */
import { createHash } from 'node:crypto';
import { after, before } from 'node:test';
import { ManualClock } from '../core/clock.js';
import type { Database } from '../store/index.js';
import type { EntryInput } from './entry.js';
import { createLedger, type Ledger } from './ledger.js';
import { generateSigner, toB64u } from './tree-head.js';

export interface Opened {
  database: Database;
  /** A second connection to the same database. */
  openAnother(): Promise<Database>;
  /**
   * Whether two connections may hold transactions at once in one process. Not on SQLite: its busy
   * handler blocks the only thread, so the first connection could never commit. There one process
   * owns the file and its single connection serialises transactions.
   */
  concurrentConnections: boolean;
  cleanup(): Promise<void>;
}

export const sampleEntry = (i: number, salt = ''): EntryInput => ({
  envelopeHash: createHash('sha256').update(`envelope ${i}${salt}`).digest('hex'),
  direction: i % 3 === 0 ? 'out' : 'in',
  peerNodeId: `node-${i % 4}`,
  agreementId: i % 5 === 0 ? null : `agreement-${i % 2}`,
  kind: i % 7 === 0 ? 'receipt' : 'message',
  time: Date.parse('2026-03-01T00:00:00.000Z') + i * 1000,
});

export const signer = generateSigner();
export const key = toB64u(signer.publicKey);

/** One database per suite (creating a PostgreSQL database costs a second); tables emptied per test. */
export function sharedDatabase(open: () => Promise<Opened>) {
  let opened: Opened | undefined;
  before(async () => {
    opened = await open();
    await opened.database.migrate();
  });
  after(async () => {
    await opened?.database.close();
    await opened?.cleanup();
  });
  return async (fn: (l: Ledger, o: Opened) => Promise<void>): Promise<void> => {
    const o = opened!;
    for (const t of ['ledger_entries', 'ledger_nodes', 'ledger_tree_heads'] as const) {
      await o.database.db.deleteFrom(t).execute();
    }
    await fn(createLedger({ database: o.database, signer, clock: new ManualClock() }), o);
  };
}

/** Appends n entries in uneven batches and signs a head at a few sizes. */
export async function fill(l: Ledger, n: number, salt = ''): Promise<void> {
  let i = (await l.size()) as number;
  const end = i + n;
  while (i < end) {
    const b = Math.min(end - i, 1 + (i % 9));
    await l.appendMany(Array.from({ length: b }, (_, j) => sampleEntry(i + j, salt)));
    i += b;
    if (i % 4 === 0) await l.signTreeHead();
  }
  await l.signTreeHead();
}

/** Changes the character at `pos` of a text value to another one of the same kind. */
export function mutate(s: string, pos: number): string {
  const p = pos % s.length;
  const c = s[p]!;
  const r = /[0-9a-f]/.test(c)
    ? c === 'a'
      ? 'b'
      : 'a'
    : /[0-9]/.test(c)
      ? c === '1'
        ? '2'
        : '1'
      : c === 'x'
        ? 'y'
        : 'x';
  return s.slice(0, p) + r + s.slice(p + 1);
}

export const ENTRY_COLUMNS = [
  'envelope_hash',
  'direction',
  'peer_node_id',
  'agreement_id',
  'kind',
  'time',
  'leaf_hash',
] as const;
