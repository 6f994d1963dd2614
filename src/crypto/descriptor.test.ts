import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { isParleyError } from '../core/index.js';
import { fromB64u, toB64u } from './bytes.js';
import { signDescriptor, verifyDescriptor } from './descriptor.js';
import { generateIdentity } from './identity.js';

const id = generateIdentity({ nodeId: 'cert-a' });
const info = { party: 'CERT-A', endpoints: ['https://a.example/peer'], clock: new ManualClock() };
const code = (c: string) => (e: unknown) => isParleyError(e) && e.code === c;

test('a signed descriptor verifies, carrying party, node, endpoints, keys and created', () => {
  const d = signDescriptor(id, info);
  assert.deepEqual(verifyDescriptor(JSON.parse(JSON.stringify(d))), d);
  assert.equal(d.node, 'cert-a');
  assert.equal(d.created, '2026-01-01T00:00:00.000Z');
  assert.deepEqual(fromB64u(d.signing_key, 32), id.signing.publicKey);
  assert.deepEqual(fromB64u(d.agreement_key, 32), id.agreement.publicKey);
});

test('any change to a signed field breaks the self-signature', () => {
  const d = signDescriptor(id, info);
  const other = generateIdentity();
  for (const changed of [
    { ...d, party: 'CERT-B' },
    { ...d, endpoints: ['https://evil.example/peer'] },
    { ...d, agreement_key: toB64u(other.agreement.publicKey) },
    { ...d, signing_key: toB64u(other.signing.publicKey) },
  ]) {
    assert.throws(() => verifyDescriptor(changed), code('descriptor.bad_signature'));
  }
});

test('malformed descriptors are refused with descriptor.malformed', () => {
  const d = signDescriptor(id, info);
  assert.throws(() => verifyDescriptor(null), code('descriptor.malformed'));
  assert.throws(() => verifyDescriptor({ ...d, extra: 1 }), code('descriptor.malformed'));
  assert.throws(() => verifyDescriptor({ ...d, endpoints: ['not a url'] }), code('descriptor.malformed'));
  assert.throws(() => verifyDescriptor({ ...d, sig: 'x' }), code('descriptor.malformed'));
  assert.throws(() => signDescriptor(id, { ...info, endpoints: ['nope'] }), code('descriptor.invalid'));
});
