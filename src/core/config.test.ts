import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig, resolveDbUrl } from './config.js';
import { ParleyError } from './errors.js';

test('defaults apply when neither flag nor environment is set', () => {
  const c = loadConfig({}, {});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 8470);
  assert.equal(c.db, 'sqlite:parley.db');
  assert.equal(c.dataDir, path.resolve('.parley'));
});

test('flags override the environment, which overrides defaults', () => {
  const c = loadConfig({ port: 9000 }, { PARLEY_PORT: '9100', PARLEY_HOST: '0.0.0.0' });
  assert.equal(c.port, 9000);
  assert.equal(c.host, '0.0.0.0');
});

test('a bad value is refused with the name of the option that carried it', () => {
  assert.throws(
    () => loadConfig({}, { PARLEY_PORT: 'eighty' }),
    (e: unknown) => e instanceof ParleyError && e.code === 'config.invalid' && /PARLEY_PORT/.test(e.message),
  );
  assert.throws(() => loadConfig({ db: 'mysql://x' }, {}), /--db must start with sqlite: or postgres:\/\//);
});

test('a relative SQLite path is resolved against the data directory', () => {
  assert.equal(resolveDbUrl({ db: 'sqlite:x.db', dataDir: '/tmp/n' }), 'sqlite:/tmp/n/x.db');
  assert.equal(resolveDbUrl({ db: 'postgres://a@b/c', dataDir: '/tmp/n' }), 'postgres://a@b/c');
});

test('the node file written at init is read after flags and environment', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-cfg-'));
  writeFileSync(path.join(dir, 'parley.json'), JSON.stringify({ db: 'postgres://u@h/db', port: 9999 }));
  const c = loadConfig({ dataDir: dir }, {});
  assert.equal(c.db, 'postgres://u@h/db');
  assert.equal(c.port, 9999);
  assert.equal(loadConfig({ dataDir: dir }, { PARLEY_PORT: '1234' }).port, 1234);
  writeFileSync(path.join(dir, 'parley.json'), '{"db": ');
  assert.throws(() => loadConfig({ dataDir: dir }, {}), /parley\.json is not valid JSON/);
});
