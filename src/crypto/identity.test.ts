import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { isParleyError } from '../core/index.js';
import { fromHex } from './bytes.js';
import { sign, verify } from './ed25519.js';
import { defaultNodeId, fingerprint, generateIdentity } from './identity.js';

test('generateIdentity makes an Ed25519 and an X25519 key, a node id and a creation time', () => {
  const id = generateIdentity({ clock: new ManualClock(Date.parse('2026-02-01T00:00:00.000Z')) });
  assert.equal(id.signing.curve, 'ed25519');
  assert.equal(id.agreement.curve, 'x25519');
  assert.equal(id.signing.publicKey.length, 32);
  assert.equal(id.agreement.publicKey.length, 32);
  assert.equal(id.nodeId, defaultNodeId(id.signing.publicKey));
  assert.match(id.nodeId, /^node-[a-z2-7]{16}$/);
  assert.equal(id.created, '2026-02-01T00:00:00.000Z');
  assert.ok(verify(id.signing.publicKey, Uint8Array.of(1), sign(id.signing, Uint8Array.of(1))));
});

test('a chosen node id is kept; a bad one is refused', () => {
  assert.equal(generateIdentity({ nodeId: 'cert-a.gov' }).nodeId, 'cert-a.gov');
  assert.throws(
    () => generateIdentity({ nodeId: 'Not OK' }),
    (e) => isParleyError(e) && e.code === 'identity.invalid_node_id',
  );
});

test('fingerprint: 6 groups of 5 digits, stable for a key, different for another', () => {
  const key = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  const fp = fingerprint(key);
  assert.match(fp, /^\d{5}( \d{5}){5}$/);
  assert.equal(fingerprint(key), fp);
  // Pinned (docs/PROTOCOL.md 2.1): a change of the algorithm would break every fingerprint that
  // duty officers have already compared.
  assert.equal(fp, '85710 35846 04216 79140 18317 22360');
  const other = Uint8Array.from(key);
  other[0]! ^= 1;
  assert.notEqual(fingerprint(other), fp);
});
