/**
 * A valid 100 MB bundle on a single line ingests by streaming, within the memory bound. The ingest
 * runs in a child process with V8's heap capped, so holding the input whole would crash it, and its
 * peak resident memory is checked against the 1 GiB bound of the foundation issue.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../support/shared-data.js';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-large-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function writeBundle(file: string, minBytes: number): Promise<number> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write('{"type":"bundle","id":"bundle--00000000-0000-4000-8000-00000000000f","objects":[');
  let bytes = 0;
  let n = 0;
  let buf = '';
  // Padding in `description` makes each indicator about 1 KiB, so 100 MB is ~100,000 objects.
  const pad = 'x'.repeat(700);
  while (bytes < minBytes) {
    const hex = n.toString(16).padStart(12, '0');
    const o = `{"type":"indicator","spec_version":"2.1","id":"indicator--00000000-0000-4000-8000-${hex}","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-01T00:00:00.000Z","description":"${pad}","pattern":"[file:hashes.MD5 = '${hex.padStart(32, '0')}']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"}`;
    buf += (n ? ',' : '') + o;
    bytes += o.length + 1;
    n++;
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(`${buf}]}`);
  await new Promise<void>((r) => out.end(() => r()));
  return n;
}

test('a 100 MB single-line bundle ingests by streaming, with bounded memory', async () => {
  const file = path.join(dir, 'big.json');
  const n = await writeBundle(file, 100 * 1024 * 1024);
  assert.ok(statSync(file).size >= 100 * 1024 * 1024);
  const r = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=256',
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'test/intel/ingest-child.ts'),
      file,
      `sqlite:${path.join(dir, 'big.db')}`,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 22 },
  );
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout.trim().split('\n').pop() as string) as {
    read: number;
    stored: number;
    rejected: number;
    peakMiB: number;
  };
  assert.deepEqual([res.read, res.stored, res.rejected], [n, n, 0]);
  assert.ok(res.peakMiB < 1024, `peak resident memory ${res.peakMiB} MiB`);
});
