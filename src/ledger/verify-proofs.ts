/**
 * Proof verification exactly as RFC 9162 sections 2.1.3.2 (inclusion) and 2.1.4.2 (consistency)
 * spell it out, step by step. These functions need nothing but hashes and sizes, so a peer or an
 * auditor can run them offline. They return booleans; callers that need a reason wrap them.
 */
import { bytesEqual, HASH_SIZE, nodeHash } from './hash.js';
import { half, isOdd, isTreeIndex } from './tree-math.js';

const wellFormed = (path: readonly Uint8Array[]): boolean => path.every((p) => p.byteLength === HASH_SIZE);

/** Recomputes the root from a leaf hash and its inclusion path, or undefined if the path cannot fit. */
export function rootFromInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
): Uint8Array | undefined {
  // Step 1: the leaf must lie inside the tree.
  if (!isTreeIndex(leafIndex) || !isTreeIndex(treeSize) || leafIndex >= treeSize) return undefined;
  if (leaf.byteLength !== HASH_SIZE || !wellFormed(path)) return undefined;
  // Step 2-3.
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  // Step 4.
  for (const p of path) {
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5: the path must have been exactly long enough.
  return sn === 0 ? r : undefined;
}

export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const r = rootFromInclusion(leafIndex, treeSize, leaf, path);
  return r !== undefined && bytesEqual(r, root);
}

/**
 * RFC 9162 section 2.1.4.2. The trivial cases the RFC's algorithm leaves to the caller are decided
 * here: equal sizes need an empty proof and equal roots; the empty tree is consistent with any tree
 * and needs an empty proof; a tree never shrinks.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstHash: Uint8Array,
  secondHash: Uint8Array,
  path: readonly Uint8Array[],
): boolean {
  if (!isTreeIndex(first) || !isTreeIndex(second) || first > second) return false;
  if (firstHash.byteLength !== HASH_SIZE || secondHash.byteLength !== HASH_SIZE || !wellFormed(path)) {
    return false;
  }
  if (first === second) return path.length === 0 && bytesEqual(firstHash, secondHash);
  if (first === 0) return path.length === 0;
  // Step 1.
  if (path.length === 0) return false;
  // Step 2: when the old tree is perfect its root is a node of the new tree and starts the walk.
  const c = isPowerOfTwo(first) ? [firstHash, ...path] : path;
  // Step 3.
  let fn = first - 1;
  let sn = second - 1;
  // Step 4.
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  let fr = c[0]!;
  let sr = c[0]!;
  // Step 6.
  for (let i = 1; i < c.length; i++) {
    const ci = c[i]!;
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(ci, fr);
      sr = nodeHash(ci, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, ci);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  return bytesEqual(fr, firstHash) && bytesEqual(sr, secondHash) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  let x = n;
  while (x > 1 && !isOdd(x)) x = half(x);
  return x === 1;
}
