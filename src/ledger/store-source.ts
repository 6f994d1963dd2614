/**
 * Node hashes read from the database: level 0 from ledger_entries.leaf_hash, higher levels from
 * ledger_nodes by post-order position. One round trip per batch (UNION ALL), so a proof or a root
 * costs one query of O(log n) primary-key lookups.
 */
import { type Kysely, sql } from 'kysely';
import type { Schema } from '../store/index.js';
import type { NodeSource } from './compact-tree.js';
import { type NodeKey, nodeId, postorder } from './tree-math.js';

export function storeNodeSource(db: Kysely<Schema>): NodeSource {
  return {
    async readNodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>> {
      const out = new Map<string, Uint8Array>();
      const leaves = keys.filter((k) => k.level === 0).map((k) => k.index);
      const inner = keys.filter((k) => k.level > 0).map(postorder);
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
      return out;
    },
  };
}
