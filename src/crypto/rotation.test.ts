import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { toB64u } from './bytes.js';
import { generateIdentity } from './identity.js';
import { followChain, type KeyRotation, rotateIdentity } from './rotation.js';

function chainOf(n: number) {
  const clock = new ManualClock();
  const ids = [generateIdentity({ nodeId: 'cert-a', clock })];
  const rotations: KeyRotation[] = [];
  for (let i = 0; i < n; i++) {
    clock.advance(86_400_000);
    const r = rotateIdentity(ids.at(-1)!, clock);
    ids.push(r.identity);
    rotations.push(r.rotation);
  }
  return { ids, rotations };
}

test('a peer that knows the first key follows the chain to the current keys', () => {
  const { ids, rotations } = chainOf(3);
  const r = followChain(ids[0]!.signing.publicKey, rotations, 'cert-a');
  assert.ok(r.ok);
  assert.deepEqual(r.signingKey, ids[3]!.signing.publicKey);
  assert.deepEqual(r.agreementKey, ids[3]!.agreement.publicKey);
  assert.equal(r.steps, 3);
  assert.equal(ids[3]!.nodeId, 'cert-a');
});

test('a peer that knows a middle key skips the history before it; the current key needs no step', () => {
  const { ids, rotations } = chainOf(3);
  const mid = followChain(ids[1]!.signing.publicKey, rotations);
  assert.ok(mid.ok && mid.steps === 2);
  const cur = followChain(ids[3]!.signing.publicKey, rotations);
  assert.ok(cur.ok && cur.steps === 0);
});

test('gaps, bad signatures, wrong node, malformed statements and steps back in time are refused', () => {
  const { ids, rotations } = chainOf(3);
  const known = ids[0]!.signing.publicKey;
  const gap = followChain(known, [rotations[0]!, rotations[2]!]);
  assert.ok(!gap.ok && gap.code === 'rotation.broken_chain' && gap.index === 1);
  const stranger = followChain(generateIdentity().signing.publicKey, rotations);
  assert.ok(!stranger.ok && stranger.code === 'rotation.broken_chain');
  // A statement handing over to a key of the attacker's choosing, signed only by that key.
  const attacker = generateIdentity();
  const forged = { ...rotations[1]!, new_key: toB64u(attacker.signing.publicKey) };
  const f = followChain(known, [rotations[0]!, forged]);
  assert.ok(!f.ok && f.code === 'rotation.bad_signature' && f.index === 1);
  const wrongNode = followChain(known, rotations, 'cert-b');
  assert.ok(!wrongNode.ok && wrongNode.code === 'rotation.malformed');
  const junk = followChain(known, [{ v: 1 }]);
  assert.ok(!junk.ok && junk.code === 'rotation.malformed');
  const back = followChain(known, [rotations[0]!, { ...rotations[1]!, created: '2025-01-01T00:00:00.000Z' }]);
  assert.ok(!back.ok && back.code === 'rotation.out_of_order');
});
