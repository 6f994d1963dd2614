/** Running the CLI in-process for tests, and temporary directories removed after the file's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/output.js';

/** Runs `parley ARGS...` and returns its exit status and what it printed. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await main(['node', 'parley', ...args], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

/** A maker of temporary directories, all removed when the calling test file ends. */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}
