// Crash safety: a child appending to a SQLite file is killed with SIGKILL at random moments; after
// each restart the log verifies and every entry the child acknowledged (after commit) is there.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../store/index.js';
import { createLedger } from './ledger.js';
import { generateSigner } from './tree-head.js';
import { verifyLog } from './verify-log.js';

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const ROUNDS = 20;

/** Runs the writer until it has acknowledged something, then a random while longer, then kills it. */
function runAndKill(file: string): Promise<Map<number, string>> {
  return new Promise((resolve, reject) => {
    const acked = new Map<number, string>();
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    let err = '';
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        const [i, h] = l.split(' ');
        acked.set(Number(i), h!);
      }
      if (!armed) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 120));
      }
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited on its own (code ${code}): ${err}`));
    });
  });
}

describe('Ledger crash safety (SQLite, kill -9)', () => {
  it(`keeps every acknowledged entry and verifies after ${ROUNDS} kills`, { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-ledger-crash-'));
    const file = path.join(dir, 'node.db');
    const all = new Map<number, string>();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const t0 = Date.now();
        for (const [i, h] of await runAndKill(file)) all.set(i, h);
        if (process.env.LEDGER_CRASH_DEBUG)
          console.error(`round ${round}: child ${Date.now() - t0} ms, ${all.size} acked`);
        const database = await openDatabase(`sqlite:${file}`);
        try {
          const report = await verifyLog(database);
          assert.equal(report.ok, true, `round ${round}: ${report.problem?.message}`);
          const max = Math.max(...all.keys());
          assert.ok(
            report.size > max,
            `round ${round}: log has ${report.size} entries, ${max} was acknowledged`,
          );
          const ledger = createLedger({ database, signer: generateSigner() });
          for (const [i, h] of all) assert.equal((await ledger.entry(i))?.envelopeHash, h, `entry ${i}`);
        } finally {
          await database.close();
        }
      }
      assert.ok(all.size > ROUNDS, 'the writer acknowledged entries in every round');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
