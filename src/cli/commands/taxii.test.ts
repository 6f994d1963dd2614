/** The `parley token` and `parley taxii` commands, against a node on disk and a TAXII server on 127.0.0.1. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sharedData } from '../../../test/support/shared-data.js';
import { type Harness, indicator, startHarness } from '../../http/taxii/test-harness.js';
import { main } from '../main.js';
import { memoryIo } from '../output.js';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-taxii-cli-'));
const data = path.join(dir, 'node');
let server: Harness;
let origin: string;
let remoteId: string;

const run = async (...args: string[]) => {
  const io = memoryIo();
  process.exitCode = undefined;
  // push works without a node of its own.
  const node = args[1] === 'push' ? [] : ['--data', data];
  const code = await main(['node', 'parley', ...args, ...node], io);
  process.exitCode = undefined;
  return { code, out: io.stdout, err: io.stderr.join('\n') };
};

before(async () => {
  assert.equal((await run('init')).code, 0);
  server = await startHarness();
  await server.ctx.registry.addApiRoot({ name: 'peer', title: 'Peer' });
  const c = await server.ctx.registry.addCollection('peer', { alias: 'feed', title: 'Feed' });
  remoteId = c.id;
  await server.ctx.registry.grant(c.id, 'partner', { canRead: true, canWrite: true });
  await server.ctx.principals.addUser('partner', 'partner', 'partner password');
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = server.app.server.address();
  assert.ok(addr && typeof addr === 'object');
  origin = `http://127.0.0.1:${addr.port}`;
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('token create prints the token alone on its last line; list never shows it; revoke', async () => {
  const r = await run('token', 'create', '--role', 'partner', '--label', 'CERT of Borduria');
  assert.equal(r.code, 0, r.err);
  const token = r.out.at(-1) as string;
  assert.match(token, /^ptk_[A-Za-z0-9_-]{43}$/);
  const list = await run('token', 'list');
  assert.equal(list.out.length, 1);
  assert.ok(!list.out.join('\n').includes(token));
  assert.match(list.out[0] as string, /partner .*CERT of Borduria/);
  const id = (list.out[0] as string).split(/\s+/)[0] as string;
  assert.equal((await run('token', 'revoke', id)).code, 0);
  assert.equal((await run('token', 'list')).out.length, 0);
  assert.equal((await run('token', 'revoke', id)).code, 1);
});

test('add-root, add-collection, grant, add-user and list', async () => {
  assert.equal((await run('taxii', 'add-root', 'cert', '--title', 'National CERT', '--default')).code, 0);
  const c = await run('taxii', 'add-collection', 'cert', 'local', '--title', 'Local intel');
  assert.equal(c.code, 0, c.err);
  assert.equal((await run('taxii', 'grant', 'local', 'partner', '--read')).code, 0);
  const pw = path.join(dir, 'pw');
  writeFileSync(pw, 'a good long password\n');
  assert.equal(
    (await run('taxii', 'add-user', 'borduria', '--role', 'partner', '--password-file', pw)).code,
    0,
  );
  const list = await run('taxii', 'list');
  assert.match(list.out.join('\n'), /\/taxii2\/cert\/ {2}National CERT {2}\(default\)/);
  assert.match(list.out.join('\n'), /local .*partner:r/);
  assert.equal((await run('taxii', 'add-root', 'Bad Name', '--title', 'x')).code, 1);
});

test('load reads the reference server data file', async () => {
  const r = await run('taxii', 'load', sharedData('cti-taxii-server', 'default_data.json'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out[0] as string, /loaded 3 API roots \(api1, api2, trustgroup1\), 5 collections/);
});

test('pull fetches incrementally and remembers where it stopped; push waits for the status', async () => {
  const pw = path.join(dir, 'partner-pw');
  writeFileSync(pw, 'partner password\n');
  const auth = ['--user', 'partner', '--password-file', pw];
  const objs = Array.from({ length: 120 }, (_, i) => indicator(i));
  const bundle = path.join(dir, 'bundle.json');
  writeFileSync(
    bundle,
    JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000001', objects: objs }),
  );
  const push = await run('taxii', 'push', `${origin}/taxii2/`, bundle, '--collection', remoteId, ...auth);
  assert.equal(push.code, 0, push.err);
  assert.match(push.out[0] as string, /^120 of 120 accepted, 0 failed/);
  const first = await run(
    'taxii',
    'pull',
    `${origin}/taxii2/peer/`,
    '--collection',
    remoteId,
    '--page-size',
    '50',
    ...auth,
  );
  assert.equal(first.code, 0, first.err);
  assert.match(first.out[0] as string, /^120 received in 3 pages, 120 new/);
  const again = await run('taxii', 'pull', `${origin}/taxii2/peer/`, '--collection', remoteId, ...auth);
  assert.match(again.out[0] as string, /^0 received in 1 pages, 0 new/);
  const token = path.join(dir, 'bad-token');
  writeFileSync(token, 'ptk_not_a_token\n');
  const denied = await run(
    'taxii',
    'pull',
    `${origin}/taxii2/peer/`,
    '--collection',
    remoteId,
    '--token-file',
    token,
  );
  assert.equal(denied.code, 1);
  assert.match(denied.err, /401/);
});
