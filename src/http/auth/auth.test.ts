import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import { openTestDatabase } from '../taxii/test-harness.js';
import { Authenticator } from './authenticate.js';
import { Principals } from './principals.js';
import { hashPassword, hashToken, newToken, verifyPassword } from './secrets.js';

let database: Database;
let drop: () => Promise<void>;
before(async () => {
  ({ database, drop } = await openTestDatabase('sqlite'));
});
after(() => drop());

test('tokens: 32 random bytes, prefixed; stored as SHA-256 only', async () => {
  const t = newToken();
  assert.match(t, /^ptk_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(newToken(), t);
  assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  const p = new Principals(database);
  const { id, token } = await p.createToken('reader', 'for tests');
  const rows = await database.db.selectFrom('taxii_tokens').selectAll().execute();
  assert.equal(rows.length, 1);
  assert.ok(!JSON.stringify(rows).includes(token.slice(4)));
  assert.deepEqual(await p.byTokenHash(hashToken(token)), { id: `token:${id}`, role: 'reader' });
  assert.deepEqual(
    (await p.listTokens()).map((x) => [x.id, x.role, x.label]),
    [[id, 'reader', 'for tests']],
  );
  await p.revokeToken(id);
  assert.equal(await p.byTokenHash(hashToken(token)), undefined);
  await assert.rejects(p.revokeToken(id), /no token/);
  await assert.rejects(p.createToken('Bad Role'), /role must match/);
});

test('passwords: scrypt with a salt, verified in constant time', async () => {
  const h1 = await hashPassword('correct horse');
  const h2 = await hashPassword('correct horse');
  assert.match(h1, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
  assert.notEqual(h1, h2);
  assert.equal(await verifyPassword('correct horse', h1), true);
  assert.equal(await verifyPassword('correct horsf', h1), false);
  assert.equal(await verifyPassword('x', 'plain'), false);
});

test('authenticator: Basic, Bearer and Token schemes; wrong or malformed headers; revocation after forget()', async () => {
  const p = new Principals(database);
  await p.addUser('alice', 'analyst', 'a long password');
  await assert.rejects(p.addUser('alice', 'analyst', 'a long password'), /already exists/);
  await assert.rejects(p.addUser('bob', 'analyst', 'short'), /at least 8/);
  const { id, token } = await p.createToken('partner');
  const clock = new ManualClock();
  const auth = new Authenticator(p, clock);
  const basic = (u: string, pw: string) => `Basic ${Buffer.from(`${u}:${pw}`).toString('base64')}`;
  assert.deepEqual(await auth.authenticate(basic('alice', 'a long password')), {
    id: 'user:alice',
    role: 'analyst',
  });
  assert.equal(await auth.authenticate(basic('alice', 'wrong password')), undefined);
  assert.equal(await auth.authenticate(basic('carol', 'a long password')), undefined);
  assert.deepEqual(await auth.authenticate(`Bearer ${token}`), { id: `token:${id}`, role: 'partner' });
  assert.deepEqual(await auth.authenticate(`bearer ${token}`), { id: `token:${id}`, role: 'partner' });
  assert.deepEqual(await auth.authenticate(`Token ${token}`), { id: `token:${id}`, role: 'partner' });
  for (const h of [
    undefined,
    '',
    'Bearer',
    'Digest abc',
    `Basic ${Buffer.from('nocolon').toString('base64')}`,
  ]) {
    assert.equal(await auth.authenticate(h), undefined, String(h));
  }
  // A revoked token works until the cache entry expires or is forgotten, never longer.
  await p.revokeToken(id);
  assert.ok(await auth.authenticate(`Bearer ${token}`));
  clock.advance(31_000);
  assert.equal(await auth.authenticate(`Bearer ${token}`), undefined);
  await p.removeUser('alice');
  auth.forget();
  assert.equal(await auth.authenticate(basic('alice', 'a long password')), undefined);
});
