/**
 * Recomputes the whole local log from its stored entries and compares every stored hash and every
 * signed tree head, streaming in pages (memory stays O(page + log n)). Stops at the first problem in
 * index order and names it. What it can prove: the rows agree with each other and with every stored
 * signed head. What no local check can prove: that rows deleted past the last signed head ever
 * existed; the heads a peer holds (receipts, gossip) cover that.
 */
import type { Database } from '../store/index.js';
import { appendToFrontier, foldRange, type StoredNode } from './compact-tree.js';
import { entryLeafHash } from './entry.js';
import { bytesEqual, EMPTY_ROOT, toHex } from './hash.js';
import { rowToEntry } from './ledger.js';
import { STORED_LEVEL } from './store-source.js';
import { ed25519Verify, fromB64u, type VerifyFn, verifyTreeHead } from './tree-head.js';
import { postorder } from './tree-math.js';

export type LogProblemKind =
  /** An index is absent: a deleted entry (or reordered rows that left a gap). */
  | 'entry_missing'
  /** The entry's fields no longer hash to its stored leaf hash: altered or moved. */
  | 'entry_altered'
  /** A perfect subtree that the entries complete is not stored. */
  | 'node_missing'
  /** A stored subtree hash differs from the one recomputed from the entries. */
  | 'node_mismatch'
  /** A signed tree head's root differs from the root recomputed at its size. */
  | 'tree_head_mismatch'
  /** A stored tree head's signature does not verify (or its key is not trusted). */
  | 'tree_head_bad_signature'
  /** A signed tree head covers entries that are no longer there: entries deleted at the end. */
  | 'tree_head_beyond_log';

export interface LogProblem {
  kind: LogProblemKind;
  /** The first index that is, or may be, bad. */
  index: number;
  message: string;
  /** For node problems: the subtree. */
  level?: number;
  nodeIndex?: number;
  /** For tree head problems. */
  treeSize?: number;
}

export interface VerifyReport {
  ok: boolean;
  /** Entries checked (up to the first problem). */
  size: number;
  /** Root of the entries checked, hex. */
  rootHash: string;
  treeHeadsChecked: number;
  problem?: LogProblem;
}

export interface VerifyLogOptions {
  pageSize?: number;
  /** Base64url public keys the heads must be signed by; default: the key stored with each head. */
  trustedKeys?: readonly string[];
  verify?: VerifyFn;
  /** Called after each page with the number of entries checked so far. */
  onProgress?: (checked: number) => void;
}

interface HeadRow {
  tree_size: number;
  root_hash: string;
  signature: string;
  timestamp: number;
  public_key: string;
}

export async function verifyLog(database: Database, opts: VerifyLogOptions = {}): Promise<VerifyReport> {
  const db = database.db;
  const pageSize = opts.pageSize ?? 2000;
  const check = opts.verify ?? ed25519Verify;
  let frontier: StoredNode[] = [];
  let expected = 0;
  let headsChecked = 0;
  let lastGoodHead = 0;

  let heads: HeadRow[] = [];
  let headCursor = -1;
  let headsDone = false;
  const nextHead = async (): Promise<HeadRow | undefined> => {
    if (heads.length === 0 && !headsDone) {
      heads = await db
        .selectFrom('ledger_tree_heads')
        .selectAll()
        .where('tree_size', '>', headCursor)
        .orderBy('tree_size')
        .limit(1000)
        .execute();
      if (heads.length === 0) headsDone = true;
      else headCursor = heads[heads.length - 1]!.tree_size;
    }
    return heads[0];
  };
  const report = (problem?: LogProblem): VerifyReport => ({
    ok: problem === undefined,
    size: expected,
    rootHash: toHex(foldRange(frontier.map((n) => n.hash))),
    treeHeadsChecked: headsChecked,
    ...(problem ? { problem } : {}),
  });

  // Checks every head whose size equals the entries verified so far.
  const checkHeads = async (): Promise<LogProblem | undefined> => {
    for (let h = await nextHead(); h && h.tree_size === expected; h = await nextHead()) {
      heads.shift();
      const root = expected === 0 ? EMPTY_ROOT : foldRange(frontier.map((n) => n.hash));
      const sth = {
        treeSize: h.tree_size,
        timestamp: h.timestamp,
        rootHash: h.root_hash,
        signature: h.signature,
      };
      const trusted = opts.trustedKeys === undefined || opts.trustedKeys.includes(h.public_key);
      if (!trusted || !verifyTreeHead(sth, fromB64u(h.public_key), check)) {
        return {
          kind: 'tree_head_bad_signature',
          index: Math.max(0, h.tree_size - 1),
          treeSize: h.tree_size,
          message: `the signed tree head of size ${h.tree_size} has an invalid or untrusted signature`,
        };
      }
      if (h.root_hash !== toHex(root)) {
        return {
          kind: 'tree_head_mismatch',
          index: lastGoodHead,
          treeSize: h.tree_size,
          message:
            `the signed tree head of size ${h.tree_size} does not match the log: entries from ` +
            `${lastGoodHead} to ${h.tree_size - 1} were rewritten with consistent hashes`,
        };
      }
      headsChecked++;
      lastGoodHead = h.tree_size;
    }
    return undefined;
  };

  let problem = await checkHeads();
  if (problem) return report(problem);
  for (;;) {
    const rows = await db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('idx', '>=', expected)
      .orderBy('idx')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    // Stored subtrees completed by this page's leaves occupy one range of post-order positions.
    const start = expected;
    const end = start + rows.length;
    const nodeRows = await db
      .selectFrom('ledger_nodes')
      .select(['pos', 'hash'])
      .where('pos', '>', postorder({ level: 0, index: start }))
      .where('pos', '<', postorder({ level: 0, index: end }))
      .execute();
    const stored = new Map(nodeRows.map((r) => [r.pos, r.hash]));
    for (const row of rows) {
      if (row.idx !== expected) {
        return report({
          kind: 'entry_missing',
          index: expected,
          message: `entry ${expected} is missing (the next stored entry is ${row.idx})`,
        });
      }
      const leaf = entryLeafHash(rowToEntry(row));
      if (toHex(leaf) !== row.leaf_hash) {
        return report({
          kind: 'entry_altered',
          index: expected,
          message: `entry ${expected} does not hash to its stored leaf hash: it was altered or moved`,
        });
      }
      const step = appendToFrontier(frontier, expected, [leaf]);
      for (const n of step.nodes) {
        if (n.level < STORED_LEVEL) continue; // derived from the leaves just checked
        const h = stored.get(postorder(n));
        const first = n.index * 2 ** n.level;
        if (h === undefined || !bytesEqual(Buffer.from(h, 'hex'), n.hash)) {
          return report({
            kind: h === undefined ? 'node_missing' : 'node_mismatch',
            index: first,
            level: n.level,
            nodeIndex: n.index,
            message:
              `the stored hash of entries ${first} to ${expected} (level ${n.level}, node ${n.index}) ` +
              (h === undefined ? 'is missing' : 'does not match the entries'),
          });
        }
      }
      frontier = step.frontier;
      expected++;
      problem = await checkHeads();
      if (problem) return report(problem);
    }
    opts.onProgress?.(expected);
  }
  const beyond = await nextHead();
  if (beyond) {
    return report({
      kind: 'tree_head_beyond_log',
      index: expected,
      treeSize: beyond.tree_size,
      message: `a signed tree head covers ${beyond.tree_size} entries but the log ends at ${expected}: entries from ${expected} were deleted`,
    });
  }
  return report();
}
