// Property tests: for random trees every proof the stored-node implementation builds equals the
// literal RFC recursion and verifies; every alteration of a proof fails (RFC 9162 sections 2.1.3-2.1.4).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { consistencyPath, inclusionPath, MemoryTree, rootAt } from './compact-tree.js';
import { leafHash, toHex } from './hash.js';
import { referenceConsistency, referencePath, referenceRoot } from './reference-tree.js';
import { consistencyRanges, inclusionRanges } from './tree-math.js';
import { verifyConsistency, verifyInclusion } from './verify-proofs.js';

const leavesOf = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(`${seed}/${i}`).digest()));

function treeOf(n: number, seed: number) {
  const leaves = leavesOf(n, seed);
  const tree = new MemoryTree();
  // Appended in uneven batches, as appendMany would.
  for (let i = 0; i < n; ) {
    const b = 1 + ((i * 7 + Math.abs(seed)) % 13);
    tree.append(leaves.slice(i, i + b));
    i += b;
  }
  return { leaves, tree };
}

const flip = (p: Uint8Array[], i: number, bit: number) =>
  p.map((h, j) => {
    if (j !== i) return h;
    const c = Uint8Array.from(h);
    c[bit >> 3]! ^= 1 << (bit & 7);
    return c;
  });

describe('Merkle properties', () => {
  it('every root from stored nodes equals the literal recursion', async () => {
    const { leaves, tree } = treeOf(300, 1);
    for (let n = 0; n <= 300; n++)
      assert.equal(toHex(await rootAt(tree, n)), toHex(referenceRoot(leaves.slice(0, n))));
  });

  it('every inclusion proof verifies and matches the RFC recursion', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.integer(), async (n, seed) => {
        const { leaves, tree } = treeOf(n, seed);
        const root = await rootAt(tree, n);
        for (let m = 0; m < n; m++) {
          const path = await inclusionPath(tree, m, n);
          assert.ok(path.length <= Math.ceil(Math.log2(n)));
          assert.ok(verifyInclusion(m, n, leaves[m]!, path, root), `leaf ${m} of ${n}`);
          if (n <= 64) assert.deepEqual(path.map(toHex), referencePath(m, leaves.slice(0, n)).map(toHex));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('every consistency proof between two sizes verifies and matches the RFC recursion', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.integer(), async (n, seed) => {
        const { leaves, tree } = treeOf(n, seed);
        const roots = [];
        for (let s = 0; s <= n; s++) roots.push(await rootAt(tree, s));
        for (let m = 0; m <= n; m++) {
          const path = await consistencyPath(tree, m, n);
          assert.ok(verifyConsistency(m, n, roots[m]!, roots[n]!, path), `${m} -> ${n}`);
          if (n <= 64)
            assert.deepEqual(path.map(toHex), referenceConsistency(m, leaves.slice(0, n)).map(toHex));
        }
        // And between arbitrary pairs below n, read from the same stored nodes.
        for (let m = 1; m < n; m += 1 + (seed & 7)) {
          const s = m + ((seed >>> 3) % (n - m + 1));
          assert.ok(verifyConsistency(m, s, roots[m]!, roots[s]!, await consistencyPath(tree, m, s)));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('any altered inclusion proof fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 300 }),
        fc.integer(),
        fc.nat(),
        fc.nat(),
        fc.nat(255),
        async (n, seed, mRaw, iRaw, bit) => {
          const { leaves, tree } = treeOf(n, seed);
          const m = mRaw % n;
          const root = await rootAt(tree, n);
          const path = await inclusionPath(tree, m, n);
          const leaf = leaves[m]!;
          const i = iRaw % path.length;
          assert.equal(verifyInclusion(m, n, leaf, flip(path, i, bit), root), false, 'flipped bit');
          assert.equal(verifyInclusion(m, n, flip([leaf], 0, bit)[0]!, path, root), false, 'flipped leaf');
          assert.equal(verifyInclusion(m, n, leaf, path, flip([root], 0, bit)[0]!), false, 'flipped root');
          assert.equal(verifyInclusion(m, n, leaf, path.slice(0, -1), root), false, 'truncated');
          assert.equal(verifyInclusion(m, n, leaf, path.slice(1), root), false, 'truncated at the front');
          assert.equal(verifyInclusion(m, n, leaf, [...path, root], root), false, 'extended');
          assert.equal(verifyInclusion(m, n, leaf, [leaf, ...path], root), false, 'extended at the front');
          for (const wrong of [m - 1, m + 1, m ^ 1, m + n].filter((x) => x >= 0 && x !== m)) {
            assert.equal(verifyInclusion(wrong, n, leaf, path, root), false, `index ${wrong}`);
          }
          // A path says nothing of the tree size except through its shape: a wrong size whose honest path
          // has another length must fail. (Sizes of the same shape are bound by the signed tree head.)
          for (const size of [n + 1, n - 1, n * 2, Math.floor(n / 2)].filter((s) => s !== n && s > m)) {
            if (inclusionRanges(m, size).length === path.length) continue;
            assert.equal(verifyInclusion(m, size, leaf, path, root), false, `size ${size}`);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('any altered consistency proof fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 300 }),
        fc.integer(),
        fc.nat(),
        fc.nat(),
        fc.nat(255),
        async (n, seed, mRaw, iRaw, bit) => {
          const { tree } = treeOf(n, seed);
          const m = 1 + (mRaw % (n - 1));
          const r1 = await rootAt(tree, m);
          const r2 = await rootAt(tree, n);
          const path = await consistencyPath(tree, m, n);
          const i = iRaw % path.length;
          assert.equal(verifyConsistency(m, n, r1, r2, flip(path, i, bit)), false, 'flipped bit');
          assert.equal(verifyConsistency(m, n, flip([r1], 0, bit)[0]!, r2, path), false, 'flipped old root');
          assert.equal(verifyConsistency(m, n, r1, flip([r2], 0, bit)[0]!, path), false, 'flipped new root');
          assert.equal(verifyConsistency(m, n, r1, r2, path.slice(0, -1)), false, 'truncated');
          assert.equal(verifyConsistency(m, n, r1, r2, path.slice(1)), false, 'truncated at the front');
          assert.equal(verifyConsistency(m, n, r1, r2, [...path, r1]), false, 'extended');
          assert.equal(verifyConsistency(m, n, r1, r2, [path[0]!, ...path]), false, 'extended at the front');
          // Wrong sizes: must fail whenever their honest proof has another length (see the inclusion case).
          for (const [a, b] of [
            [m - 1, n],
            [m + 1, n],
            [m, n + 1],
            [m, n - 1],
            [m, n * 2],
          ] as const) {
            if ((a === m && b === n) || a < 1 || a >= b) continue;
            if (consistencyRanges(a, b).length === path.length) continue;
            assert.equal(verifyConsistency(a, b, r1, r2, path), false, `sizes ${a} -> ${b}`);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
