import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./seal-loop-child.ts', import.meta.url));
const SEALS = 150_000;
/** Generous: the loop takes about 16 s on an idle 2-core machine. */
const LIMIT_MS = 240_000;

describe('sealing at length', () => {
  it(`${SEALS.toLocaleString('en')} seals in a row finish (an ephemeral key made by generateKeyPairSync hung Node.js 20 within that)`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(SEALS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    assert.equal(code, 0, `the sealing loop did not finish within ${LIMIT_MS / 1000} s (hung?): ${err}`);
    assert.equal(out.trim(), `sealed ${SEALS}`);
  });
});
