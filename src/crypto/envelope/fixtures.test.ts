/**
 * The published envelope fixtures (test/fixtures/envelopes/*.json): regenerating them must give the
 * committed files byte for byte, and each must open, or be refused with its code, leaving the
 * replay guard as it was.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildFixtures, type Fixture, keysFile, optionsFor } from '../../../test/fixtures/envelopes/build.js';
import { isParleyError } from '../../core/index.js';
import { fromB64u, toB64u } from '../bytes.js';
import { keyPairFromPrivate } from '../keys.js';
import { openEnvelope } from './open.js';
import { ENVELOPE_ERRORS } from './types.js';

const DIR = join(import.meta.dirname, '../../../test/fixtures/envelopes');
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const committed = readdirSync(DIR)
  .filter((n) => n.endsWith('.json') && n !== 'keys.json')
  .map((n) => JSON.parse(readFileSync(join(DIR, n), 'utf8')) as Fixture);

test('regenerating the fixtures reproduces the committed files byte for byte', () => {
  assert.equal(readFileSync(join(DIR, 'keys.json'), 'utf8'), json(keysFile()));
  const built = buildFixtures();
  assert.deepEqual(committed.map((f) => f.name).sort(), built.map((f) => f.name).sort());
  for (const f of built) assert.equal(readFileSync(join(DIR, `${f.name}.json`), 'utf8'), json(f), f.name);
});

test('there is one valid fixture and one fixture for every rejection code', () => {
  const errors = committed.flatMap((f) => (f.expect.ok ? [] : [f.expect.error])).sort();
  assert.deepEqual(errors, Object.keys(ENVELOPE_ERRORS).sort());
  assert.equal(committed.filter((f) => f.expect.ok).length, 1);
});

for (const f of committed) {
  test(`fixture ${f.name}: ${f.expect.ok ? 'opens' : f.expect.error}`, async () => {
    const opts = optionsFor(f.context);
    for (const id of f.context.seen_ids) await opts.seenIds.seen(id, Date.parse(f.context.now) + 86_400_000);
    const before = opts.seenIds.size;
    const bytes = Buffer.from(f.envelope, 'utf8');
    if (f.expect.ok) {
      const r = await openEnvelope(bytes, opts);
      assert.equal(Buffer.from(r.payload).toString('utf8'), f.expect.payload);
      assert.equal(opts.seenIds.size, before + 1);
    } else {
      const code = f.expect.error;
      await assert.rejects(openEnvelope(bytes, opts), (e) => isParleyError(e) && e.code === code);
      assert.equal(opts.seenIds.size, before, 'a refused envelope leaves nothing in the replay guard');
    }
  });
}

test('keys.json alone is enough: its private keys give its public keys and open the valid fixture', async () => {
  const keys = JSON.parse(readFileSync(join(DIR, 'keys.json'), 'utf8')) as {
    nodes: {
      node: string;
      signing_public: string;
      signing_private_seed: string;
      agreement_public: string;
      agreement_private: string;
    }[];
  };
  for (const n of keys.nodes) {
    assert.equal(
      toB64u(keyPairFromPrivate('ed25519', fromB64u(n.signing_private_seed, 32)!).publicKey),
      n.signing_public,
    );
    assert.equal(
      toB64u(keyPairFromPrivate('x25519', fromB64u(n.agreement_private, 32)!).publicKey),
      n.agreement_public,
    );
  }
  const valid = committed.find((f) => f.name === 'valid')!;
  const bobKeys = keys.nodes.find((n) => n.node === valid.context.receiver)!;
  const identity = {
    nodeId: bobKeys.node,
    created: valid.context.now,
    signing: keyPairFromPrivate('ed25519', fromB64u(bobKeys.signing_private_seed, 32)!),
    agreement: keyPairFromPrivate('x25519', fromB64u(bobKeys.agreement_private, 32)!),
  };
  const r = await openEnvelope(Buffer.from(valid.envelope, 'utf8'), {
    ...optionsFor(valid.context),
    identity,
  });
  assert.equal(Buffer.from(r.payload).toString('utf8'), (valid.expect as { payload: string }).payload);
});
