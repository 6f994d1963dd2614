import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isParleyError } from '../core/index.js';
import { equalBytes } from './bytes.js';
import { sign, verify } from './ed25519.js';
import { generateIdentity } from './identity.js';
import { loadIdentity, saveIdentity } from './keystore.js';

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'parley-keys-'));
  dirs.push(d);
  return d;
};
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const code = (c: string) => (e: unknown) => isParleyError(e) && e.code === c;

test('save then load gives the same keys; files 0600, directory 0700', async () => {
  const dir = await tmp();
  const id = generateIdentity({ nodeId: 'cert-a' });
  await saveIdentity(dir, id);
  assert.equal((await stat(join(dir, 'keys'))).mode & 0o777, 0o700);
  for (const f of ['signing.json', 'agreement.json', 'node.json']) {
    assert.equal((await stat(join(dir, 'keys', f))).mode & 0o777, 0o600, f);
  }
  const back = await loadIdentity(dir);
  assert.equal(back.nodeId, 'cert-a');
  assert.equal(back.created, id.created);
  assert.ok(equalBytes(back.signing.publicKey, id.signing.publicKey));
  assert.ok(equalBytes(back.agreement.publicKey, id.agreement.publicKey));
  assert.ok(verify(id.signing.publicKey, Uint8Array.of(7), sign(back.signing, Uint8Array.of(7))));
});

test('under a passphrase: no private key in clear; loads with it, not without or with another', async () => {
  const dir = await tmp();
  const id = generateIdentity();
  await saveIdentity(dir, id, { passphrase: 'correct horse battery staple' });
  const file = JSON.parse(await readFile(join(dir, 'keys', 'signing.json'), 'utf8'));
  assert.equal(file.private, undefined);
  assert.equal(file.encrypted.kdf.name, 'scrypt');
  assert.equal(file.encrypted.alg, 'A256GCM');
  const back = await loadIdentity(dir, 'correct horse battery staple');
  assert.ok(equalBytes(back.signing.publicKey, id.signing.publicKey));
  await assert.rejects(loadIdentity(dir), code('keystore.passphrase_required'));
  await assert.rejects(loadIdentity(dir, 'wrong'), code('keystore.bad_passphrase'));
});

test('refuses to overwrite keys, to read group/world-readable keys, and reports missing or spliced files', async () => {
  const dir = await tmp();
  await assert.rejects(loadIdentity(dir), code('keystore.not_found'));
  const id = generateIdentity();
  await saveIdentity(dir, id);
  await assert.rejects(saveIdentity(dir, generateIdentity()), code('keystore.exists'));
  await chmod(join(dir, 'keys', 'signing.json'), 0o644);
  await assert.rejects(loadIdentity(dir), code('keystore.insecure_permissions'));
  await chmod(join(dir, 'keys', 'signing.json'), 0o600);
  // A private key that does not belong to the public key beside it.
  const f = JSON.parse(await readFile(join(dir, 'keys', 'signing.json'), 'utf8'));
  const other = await tmp();
  await saveIdentity(other, generateIdentity());
  const g = JSON.parse(await readFile(join(other, 'keys', 'signing.json'), 'utf8'));
  await writeFile(join(dir, 'keys', 'signing.json'), JSON.stringify({ ...f, private: g.private }), {
    mode: 0o600,
  });
  await assert.rejects(loadIdentity(dir), code('keystore.corrupt'));
  await saveIdentity(dir, id, { overwrite: true });
  await loadIdentity(dir);
});
