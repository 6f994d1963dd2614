import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, tempDirs } from '../support/cli.js';
import { REPO_ROOT } from '../support/shared-data.js';

const tmp = tempDirs('parley-cli-');
const run = runCli;

test('init creates keys (0600), a database and remembers the party; whoami prints the fingerprint', async () => {
  const data = path.join(tmp(), 'node');
  const r = await run('init', '--data', data, '--party', 'CERT of Arcadia');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /initialised a node in/);
  assert.equal(statSync(path.join(data, 'keys', 'signing.json')).mode & 0o777, 0o600);
  const fp = await run('whoami', '--data', data, '--fingerprint');
  assert.equal(fp.code, 0);
  assert.match(fp.out, /^(\d{5} ){5}\d{5}$/);
  const who = await run('whoami', '--data', data);
  const d = JSON.parse(who.out) as { party: string; fingerprint: string };
  assert.equal(d.party, 'CERT of Arcadia');
  assert.equal(d.fingerprint, fp.out);
  const again = await run('init', '--data', data);
  assert.match(again.out, /already initialised/);
  assert.equal((await run('whoami', '--data', data, '--fingerprint')).out, fp.out, 'keys are kept');
});

test('a command on a missing node fails with one clear line and status 1', async () => {
  const r = await run('whoami', '--data', path.join(tmp(), 'nothing-here'));
  assert.equal(r.code, 1);
  assert.match(r.err, /^parley: no node in .*nothing-here; run `parley init/);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace without --verbose');
});

test('an unknown command is a usage error (status 2)', async () => {
  const r = await run('frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command 'frobnicate'/);
});

test('`parley start` creates a node where none exists and prints where it listens', async () => {
  const data = path.join(tmp(), 'fresh');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), 'start', '--data', data, '--port', '0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (c) => reject(new Error(`exited with ${c}: ${out}`)));
    });
    const res = await fetch(`${url}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
    // The fresh node serves its local collection over TAXII to the role `reader`.
    const tok = await run('token', 'create', '--role', 'reader', '--data', data);
    assert.equal(tok.code, 0, tok.err);
    const token = tok.out.trim().split('\n').pop() as string;
    const taxii = await fetch(`${url}/taxii2/parley/collections/`, {
      headers: { accept: 'application/taxii+json;version=2.1', authorization: `Bearer ${token}` },
    });
    assert.equal(taxii.status, 200);
    const { collections } = (await taxii.json()) as {
      collections: Array<{ title: string; can_read: boolean }>;
    };
    assert.deepEqual(
      collections.map((c) => [c.title, c.can_read]),
      [['Local threat intel', true]],
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});

test('a bad option value on a sub-command is a usage error (status 2) that names the option', async () => {
  const r = await run('ingest', 'x.json', '--max-object-bytes', 'abc');
  assert.equal(r.code, 2);
  assert.match(r.err, /--max-object-bytes.*expected a positive integer, got "abc"/);
});
