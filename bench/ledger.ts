/**
 * Ledger benchmark: appends/s on SQLite with batching (against a raw better-sqlite3 ceiling: the
 * same rows through prepared statements, no hashing), inclusion-proof generation at 1,000,000
 * leaves (median, p99) and proof size against ceil(log2 n), a whole-log verification rate.
 * `npx tsx bench/ledger.ts` runs it alone; LEDGER_BENCH_LEAVES overrides the 1,000,000 and
 * LEDGER_BENCH_BATCH the batch of 1,000 entries per append (and per raw transaction in the ceiling).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { createLedger, type EntryInput, generateSigner, verifyLog } from '../src/ledger/index.js';
import { openDatabase } from '../src/store/index.js';
import { type BenchResult, formatResult, rate } from './lib.js';

const BATCH = Number(process.env.LEDGER_BENCH_BATCH ?? 1000);
const APPEND_SAMPLE = 200_000;

const input = (i: number): EntryInput => ({
  envelopeHash: createHash('sha256').update(`envelope ${i}`).digest('hex'),
  direction: i % 2 ? 'in' : 'out',
  peerNodeId: `node-${i % 7}`,
  agreementId: `agreement-${i % 3}`,
  kind: 'message',
  time: 1_767_225_600_000 + i,
});

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length * p)]!;

/** The rows the ledger writes for `n` entries, built once, inserted raw: the ceiling of the append path. */
async function rawCeiling(dir: string, n: number): Promise<number> {
  const file = path.join(dir, 'raw.db');
  const database = await openDatabase(`sqlite:${file}`);
  await database.migrate();
  const ledger = createLedger({ database, signer: generateSigner() });
  await ledger.appendMany(Array.from({ length: BATCH }, (_, i) => input(i)));
  const entries = await database.db.selectFrom('ledger_entries').selectAll().execute();
  const nodes = await database.db.selectFrom('ledger_nodes').selectAll().execute();
  await database.db.deleteFrom('ledger_entries').execute();
  await database.db.deleteFrom('ledger_nodes').execute();
  await database.close();
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('wal_autocheckpoint = 10000'); // as src/store/database.ts opens it
  const insE = raw.prepare(
    'insert into ledger_entries (idx, envelope_hash, direction, peer_node_id, agreement_id, kind, time, leaf_hash) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insN = raw.prepare('insert into ledger_nodes (pos, level, idx, hash) values (?, ?, ?, ?)');
  const batch = raw.transaction((offset: number) => {
    for (const e of entries) {
      insE.run(
        e.idx + offset,
        e.envelope_hash,
        e.direction,
        e.peer_node_id,
        e.agreement_id,
        e.kind,
        e.time,
        e.leaf_hash,
      );
    }
    // Nodes per batch: about one per entry; positions shifted so they stay unique.
    for (const x of nodes) insN.run(x.pos + offset * 2, x.level, x.idx, x.hash);
  });
  const t0 = performance.now();
  for (let off = 0; off < n; off += BATCH) batch(off);
  const ms = performance.now() - t0;
  raw.close();
  return rate(n, ms);
}

export async function run(): Promise<BenchResult> {
  const leaves = Number(process.env.LEDGER_BENCH_LEAVES ?? 1_000_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-ledger-'));
  try {
    const database = await openDatabase(`sqlite:${path.join(dir, 'ledger.db')}`);
    await database.migrate();
    const ledger = createLedger({ database, signer: generateSigner() });
    const inputs = (from: number, n: number) => Array.from({ length: n }, (_, i) => input(from + i));

    // Appends, timed on the first APPEND_SAMPLE entries (input objects built outside the timer).
    const sample = Math.min(APPEND_SAMPLE, leaves);
    let appendMs = 0;
    for (let i = 0; i < sample; i += BATCH) {
      const batch = inputs(i, Math.min(BATCH, sample - i));
      const t0 = performance.now();
      await ledger.appendMany(batch);
      appendMs += performance.now() - t0;
    }
    const single: number[] = [];
    for (let i = 0; i < 200; i++) {
      const e = inputs(sample + i, 1);
      const t0 = performance.now();
      await ledger.appendMany(e);
      single.push(performance.now() - t0);
    }
    const ceiling = await rawCeiling(dir, sample);
    for (let i = sample + 200; i < leaves; i += BATCH)
      await ledger.appendMany(inputs(i, Math.min(BATCH, leaves - i)));
    const n = await ledger.size();

    // Inclusion proofs at n leaves: random indices.
    const proofMs: number[] = [];
    let maxPath = 0;
    for (let k = 0; k < 2000; k++) {
      const i = Math.floor(Math.random() * n);
      const t0 = performance.now();
      const p = await ledger.inclusionProof(i, n);
      proofMs.push(performance.now() - t0);
      maxPath = Math.max(maxPath, p.length);
    }
    const proveMs: number[] = [];
    await ledger.signTreeHead();
    for (let k = 0; k < 500; k++) {
      const t0 = performance.now();
      await ledger.prove(Math.floor(Math.random() * n));
      proveMs.push(performance.now() - t0);
    }
    const consistencyMs: number[] = [];
    for (let k = 0; k < 500; k++) {
      const m = 1 + Math.floor(Math.random() * (n - 1));
      const t0 = performance.now();
      await ledger.consistencyProof(m, n);
      consistencyMs.push(performance.now() - t0);
    }

    const tv = performance.now();
    const report = await verifyLog(database);
    const verifyMs = performance.now() - tv;
    await database.close();

    const appendRate = rate(sample, appendMs);
    const log2 = Math.ceil(Math.log2(n));
    return {
      name: `ledger (SQLite, ${n.toLocaleString('en')} leaves, batches of ${BATCH})`,
      rows: [
        {
          metric: 'appends, batched',
          value: appendRate,
          unit: '/s',
          ceiling,
          target: '>= 50,000/s',
          pass: appendRate >= 50_000,
        },
        {
          metric: 'append of one entry (own transaction), median',
          value: +median(single).toFixed(3),
          unit: 'ms',
        },
        {
          metric: `inclusion proof at ${n.toLocaleString('en')} leaves, median`,
          value: +median(proofMs).toFixed(3),
          unit: 'ms',
          target: '< 1 ms',
          pass: median(proofMs) < 1,
        },
        { metric: 'inclusion proof, p99', value: +pct(proofMs, 0.99).toFixed(3), unit: 'ms' },
        { metric: 'prove() (entry, head, path), median', value: +median(proveMs).toFixed(3), unit: 'ms' },
        { metric: 'consistency proof, median', value: +median(consistencyMs).toFixed(3), unit: 'ms' },
        {
          metric: 'longest inclusion path',
          value: maxPath,
          unit: 'hashes',
          target: `<= ceil(log2 n) = ${log2}`,
          pass: maxPath <= log2,
        },
        {
          metric: 'verifyLog, whole log',
          value: rate(report.size, verifyMs),
          unit: 'entries/s',
          pass: report.ok,
        },
      ],
      notes: [
        'ceiling: raw better-sqlite3 prepared inserts of the same entry and node rows, one transaction per batch, no hashing or canonicalisation',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatResult(await run()));
}
