/**
 * RFC 9162 section 2.1 transcribed literally (recursive MTH, PATH and SUBPROOF over a list of leaf
 * hashes). O(n) per call: it exists as an oracle for tests of the stored-node implementation.
 */
import { EMPTY_ROOT, nodeHash } from './hash.js';
import { splitPoint } from './tree-math.js';

export function referenceRoot(d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return EMPTY_ROOT;
  if (d.length === 1) return d[0]!;
  const k = splitPoint(d.length);
  return nodeHash(referenceRoot(d.slice(0, k)), referenceRoot(d.slice(k)));
}

export function referencePath(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = splitPoint(d.length);
  return m < k
    ? [...referencePath(m, d.slice(0, k)), referenceRoot(d.slice(k))]
    : [...referencePath(m - k, d.slice(k)), referenceRoot(d.slice(0, k))];
}

export function referenceConsistency(m: number, d: readonly Uint8Array[]): Uint8Array[] {
  return m > 0 && m < d.length ? subproof(m, d, true) : [];
}

function subproof(m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [referenceRoot(d)];
  const k = splitPoint(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), referenceRoot(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), referenceRoot(d.slice(0, k))];
}
