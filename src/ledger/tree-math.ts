/**
 * Index arithmetic for RFC 9162 trees. Sizes and indices are JS numbers (exact up to 2^53), so
 * bit operators (32-bit in JS) are avoided on purpose: halving is Math.floor(x / 2).
 *
 * A perfect subtree is named by (level, index): it covers leaves [index * 2^level, (index + 1) * 2^level).
 * Level 0 is a leaf. Every subtree the RFC's recursion visits starts at a multiple of a power of two at
 * least as large as itself, so it splits into a few perfect subtrees: that is what makes every
 * proof and every root a matter of O(log n) stored nodes.
 */

export interface NodeKey {
  level: number;
  index: number;
}

/** A half-open range of leaves [start, end). */
export interface LeafRange {
  start: number;
  end: number;
}

export const isTreeIndex = (n: unknown): n is number =>
  typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The largest power of two strictly smaller than n (n >= 2): the split point k of RFC 9162 section 2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export const isOdd = (x: number): boolean => x % 2 === 1;
export const half = (x: number): number => Math.floor(x / 2);

/** The perfect subtrees that make up [start, end), largest first (start must be aligned, see above). */
export function rangeNodes(r: LeafRange): NodeKey[] {
  const out: NodeKey[] = [];
  let pos = r.start;
  let rest = r.end - r.start;
  let size = 1;
  let level = 0;
  while (size * 2 <= rest) {
    size *= 2;
    level++;
  }
  while (rest > 0) {
    if (size <= rest) {
      out.push({ level, index: pos / size });
      pos += size;
      rest -= size;
    }
    size /= 2;
    level--;
  }
  return out;
}

/** The perfect subtrees of a tree of n leaves: the "frontier" a new leaf is merged into. */
export const frontierNodes = (n: number): NodeKey[] => rangeNodes({ start: 0, end: n });

/** The last leaf covered by a node: the leaf whose append completes it. */
export const lastLeaf = (k: NodeKey): number => (k.index + 1) * 2 ** k.level - 1;

export const nodeId = (k: NodeKey): string => `${k.level}:${k.index}`;

/**
 * The subtrees whose hashes form the inclusion path of leaf m in a tree of n leaves, in the order of
 * RFC 9162 section 2.1.3.1 (nearest the leaf first).
 */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  const out: LeafRange[] = [];
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m - lo < k) {
      out.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      out.push({ start: lo, end: lo + k });
      lo += k;
    }
  }
  return out.reverse();
}

/**
 * The subtrees whose hashes form the consistency proof between sizes m and n (0 < m <= n), in the
 * order of RFC 9162 section 2.1.4.1 (SUBPROOF unrolled into a loop). Empty when m == n.
 */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  const out: LeafRange[] = [];
  if (m <= 0 || m >= n) return out;
  let lo = 0;
  let hi = n;
  let whole = true;
  while (m !== hi) {
    const k = splitPoint(hi - lo);
    if (m - lo <= k) {
      out.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      out.push({ start: lo, end: lo + k });
      lo += k;
      whole = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old tree's own subtree, needed once we went right.
  if (!whole) out.push({ start: lo, end: hi });
  return out.reverse();
}

function popcount(x: number): number {
  let c = 0;
  for (let v = x; v > 0; v = half(v)) c += v % 2;
  return c;
}

/**
 * Post-order position of a perfect subtree among all subtrees of the log (leaves included): the
 * 2a - popcount(a) subtrees completed before leaf a come first, then the node's own 2^(level+1) - 1.
 * Nodes completed by consecutive leaves get consecutive positions, so a leaf range maps to a
 * position range: positions in (pos(leaf a), pos(leaf b)) are the nodes completed by leaves [a, b).
 */
export function postorder(k: NodeKey): number {
  const a = k.index * 2 ** k.level;
  return 2 * a - popcount(a) + 2 ** (k.level + 1) - 2;
}
