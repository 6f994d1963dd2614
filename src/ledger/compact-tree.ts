/**
 * The tree over stored perfect subtrees. A log of n leaves is the list of its perfect subtrees (the
 * "frontier", one per set bit of n); appending merges equal levels like a binary counter and yields
 * each perfect subtree exactly once, when its last leaf arrives. Roots and proofs at any size are
 * then read from at most O(log n) stored nodes (see tree-math.ts), fetched in one batch.
 */
import { ParleyError } from '../core/errors.js';
import { EMPTY_ROOT, nodeHash } from './hash.js';
import {
  consistencyRanges,
  frontierNodes,
  inclusionRanges,
  type LeafRange,
  type NodeKey,
  nodeId,
  rangeNodes,
} from './tree-math.js';

export interface StoredNode extends NodeKey {
  hash: Uint8Array;
}

/** Where node hashes come from: the database, or memory in tests. Level 0 nodes are leaf hashes. */
export interface NodeSource {
  /** Every requested node; a missing one is an error (the log is damaged). */
  readNodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>>;
}

/**
 * Appends leaves to a frontier. Returns the new frontier and every perfect subtree of level >= 1
 * that the leaves completed, in completion order. Pure: the caller persists the nodes.
 */
export function appendToFrontier(
  frontier: readonly StoredNode[],
  size: number,
  leaves: readonly Uint8Array[],
): { frontier: StoredNode[]; nodes: StoredNode[] } {
  const stack = frontier.slice();
  const nodes: StoredNode[] = [];
  let index = size;
  for (const hash of leaves) {
    stack.push({ level: 0, index: index++, hash });
    for (;;) {
      const right = stack[stack.length - 1]!;
      const left = stack[stack.length - 2];
      if (left === undefined || left.level !== right.level) break;
      stack.length -= 2;
      const merged = { level: left.level + 1, index: left.index / 2, hash: nodeHash(left.hash, right.hash) };
      nodes.push(merged);
      stack.push(merged);
    }
  }
  return { frontier: stack, nodes };
}

/** MTH of a range from its perfect subtrees, largest first: H(p1 || H(p2 || ... pk)). */
export function foldRange(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT;
  let h = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i]!, h);
  return h;
}

/** Reads the nodes of several ranges in one batch and folds each into its hash. */
export async function rangeHashes(source: NodeSource, ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
  const perRange = ranges.map(rangeNodes);
  const wanted = new Map<string, NodeKey>();
  for (const keys of perRange) for (const k of keys) wanted.set(nodeId(k), k);
  const got = await source.readNodes([...wanted.values()]);
  return perRange.map((keys) =>
    foldRange(
      keys.map((k) => {
        const h = got.get(nodeId(k));
        if (h === undefined) {
          throw new ParleyError(
            'ledger.node_missing',
            `ledger node level ${k.level} index ${k.index} is missing from the store; run the ledger verification`,
            500,
            { level: k.level, index: k.index },
          );
        }
        return h;
      }),
    ),
  );
}

/** The root hash of the first `size` leaves (RFC 9162 MTH(D[size])). */
export async function rootAt(source: NodeSource, size: number): Promise<Uint8Array> {
  if (size === 0) return EMPTY_ROOT;
  const [root] = await rangeHashes(source, [{ start: 0, end: size }]);
  return root!;
}

/** The frontier of a tree of `size` leaves, read from the source. */
export async function readFrontier(source: NodeSource, size: number): Promise<StoredNode[]> {
  const keys = frontierNodes(size);
  const hashes = await rangeHashes(
    source,
    keys.map((k) => ({ start: k.index * 2 ** k.level, end: (k.index + 1) * 2 ** k.level })),
  );
  return keys.map((k, i) => ({ ...k, hash: hashes[i]! }));
}

/** RFC 9162 section 2.1.3.1 PATH(m, D[n]). */
export const inclusionPath = (source: NodeSource, m: number, n: number): Promise<Uint8Array[]> =>
  rangeHashes(source, inclusionRanges(m, n));

/** RFC 9162 section 2.1.4.1 PROOF(m, D[n]). */
export const consistencyPath = (source: NodeSource, m: number, n: number): Promise<Uint8Array[]> =>
  rangeHashes(source, consistencyRanges(m, n));

/** A NodeSource in memory, for tests and for building a log without a database. */
export class MemoryTree implements NodeSource {
  private readonly nodes = new Map<string, Uint8Array>();
  private frontier: StoredNode[] = [];
  size = 0;

  append(leafHashes: readonly Uint8Array[]): void {
    for (const [i, hash] of leafHashes.entries())
      this.nodes.set(nodeId({ level: 0, index: this.size + i }), hash);
    const r = appendToFrontier(this.frontier, this.size, leafHashes);
    for (const n of r.nodes) this.nodes.set(nodeId(n), n.hash);
    this.frontier = r.frontier;
    this.size += leafHashes.length;
  }

  async readNodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    for (const k of keys) {
      const h = this.nodes.get(nodeId(k));
      if (h !== undefined) out.set(nodeId(k), h);
    }
    return out;
  }
}
