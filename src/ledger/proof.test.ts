// Offline checks of consistency between signed heads: honest growth passes, forks are named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consistencyPath, MemoryTree, rootAt } from './compact-tree.js';
import { EMPTY_ROOT, leafHash, toHex } from './hash.js';
import { checkConsistency, checkProof } from './proof.js';
import { generateSigner, signTreeHead, toB64u } from './tree-head.js';

const leaves = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${tag}${i}`)));

describe('checkConsistency', () => {
  const signer = generateSigner();
  const key = toB64u(signer.publicKey);

  it('accepts a head that extends another, in either order, and the empty head', async () => {
    const t = new MemoryTree();
    t.append(leaves(50, 'a'));
    const h13 = signTreeHead(signer, 13, 1, await rootAt(t, 13));
    const h50 = signTreeHead(signer, 50, 2, await rootAt(t, 50));
    const p = { first: 13, second: 50, path: (await consistencyPath(t, 13, 50)).map(toHex) };
    assert.deepEqual(checkConsistency(h13, h50, p, key), { ok: true });
    assert.deepEqual(checkConsistency(h50, h13, p, [toB64u(generateSigner().publicKey), key]), { ok: true });
    assert.deepEqual(checkConsistency(signTreeHead(signer, 0, 0, EMPTY_ROOT), h50, undefined, key), {
      ok: true,
    });
    assert.equal(checkConsistency(h13, h50, { ...p, first: 12 }, key).ok, false);
    assert.equal(checkConsistency(h13, h50, undefined, key).ok, false);
  });

  it('names a fork: a rewritten past, the same size with another root, a bogus empty head', async () => {
    const honest = new MemoryTree();
    honest.append(leaves(20, 'a'));
    const forked = new MemoryTree();
    forked.append([...leaves(9, 'a'), ...leaves(31, 'b')]);
    const old = signTreeHead(signer, 20, 1, await rootAt(honest, 20));
    const newer = signTreeHead(signer, 40, 2, await rootAt(forked, 40));
    const p = { first: 20, second: 40, path: (await consistencyPath(forked, 20, 40)).map(toHex) };
    const r = checkConsistency(old, newer, p, key);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.code === 'ledger.fork' && 'evidence' in r && r.evidence.conclusive === false);
    const same = checkConsistency(old, signTreeHead(signer, 20, 3, await rootAt(forked, 20)), undefined, key);
    assert.ok(!same.ok && same.code === 'ledger.fork' && 'evidence' in same && same.evidence.conclusive);
    const bogus = checkConsistency(signTreeHead(signer, 0, 0, await rootAt(honest, 1)), old, undefined, key);
    assert.ok(!bogus.ok && bogus.code === 'ledger.fork');
    // An unsigned or foreign head is not evidence of anything.
    const foreign = signTreeHead(generateSigner(), 40, 2, await rootAt(forked, 40));
    const f = checkConsistency(old, foreign, p, key);
    assert.ok(!f.ok && f.code === 'ledger.bad_signature');
  });

  it('checkProof refuses what is not a proof', () => {
    for (const x of [null, 1, {}, { format: 'parley-ledger-proof/1' }]) {
      assert.equal(checkProof(x).ok, false);
    }
  });
});
