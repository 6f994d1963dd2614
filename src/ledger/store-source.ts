/**
 * Node hashes read from the database: level 0 from ledger_entries.leaf_hash, level 1 recomputed
 * from its two leaves (not stored: half of all subtrees, a quarter of the rows an append writes, for
 * one hash per proof), levels >= 2 from ledger_nodes by post-order position. One round trip per
 * batch (UNION ALL), so a proof or a root costs one query of O(log n) primary-key lookups.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../store/index.js';
import type { NodeSource } from './compact-tree.js';
import { nodeHash } from './hash.js';
import { type NodeKey, nodeId, postorder } from './tree-math.js';

/** The lowest level kept in ledger_nodes; lower levels are derived from the leaves. */
export const STORED_LEVEL = 2;

export function storeNodeSource(db: Kysely<Schema>): NodeSource {
  return {
    async readNodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>> {
      const out = new Map<string, Uint8Array>();
      const leafSet = new Set<number>();
      for (const k of keys) {
        if (k.level === 0) leafSet.add(k.index);
        if (k.level === 1) leafSet.add(2 * k.index).add(2 * k.index + 1);
      }
      const leaves = [...leafSet];
      const inner = keys.filter((k) => k.level >= STORED_LEVEL).map(postorder);
      const leafQuery = db
        .selectFrom('ledger_entries')
        .select([sql<number>`0`.as('level'), 'idx', 'leaf_hash as hash'])
        .where('idx', 'in', leaves);
      const nodeQuery = db
        .selectFrom('ledger_nodes')
        .select(['level', 'idx', 'hash'])
        .where('pos', 'in', inner);
      const rows =
        leaves.length && inner.length
          ? await leafQuery.unionAll(nodeQuery).execute()
          : leaves.length
            ? await leafQuery.execute()
            : inner.length
              ? await nodeQuery.execute()
              : [];
      for (const r of rows)
        out.set(nodeId({ level: Number(r.level), index: r.idx }), Buffer.from(r.hash, 'hex'));
      for (const k of keys) {
        if (k.level !== 1) continue;
        const left = out.get(nodeId({ level: 0, index: 2 * k.index }));
        const right = out.get(nodeId({ level: 0, index: 2 * k.index + 1 }));
        if (left && right) out.set(nodeId(k), nodeHash(left, right));
      }
      return out;
    },
  };
}
