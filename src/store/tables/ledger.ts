/**
 * Row types of the ledger tables (created by migrations/0003-ledger.ts): the entries (leaves) of the
 * node's Merkle log, the hashes of its perfect subtrees, and its signed tree heads. Hashes are
 * lower-case hex, signatures and keys base64url. Every row is written once and never updated.
 */

export interface LedgerEntriesTable {
  /** The leaf index, 0-based, without gaps. */
  idx: number;
  envelope_hash: string;
  direction: 'in' | 'out';
  peer_node_id: string;
  agreement_id: string | null;
  kind: string;
  /** RFC 3339 UTC with milliseconds. */
  time: string;
  /** SHA-256(0x00 || canonical entry bytes). */
  leaf_hash: string;
}

export interface LedgerNodesTable {
  /**
   * Post-order position of the perfect subtree among all subtrees of the log: the nodes completed
   * by leaves [a, b) occupy one contiguous range of positions, so verification streams them in order.
   */
  pos: number;
  /** Height above the leaves, >= 2 (leaf hashes live in ledger_entries; level 1 is derived from them). */
  level: number;
  /** The subtree covers leaves [idx * 2^level, (idx + 1) * 2^level). */
  idx: number;
  hash: string;
}

export interface LedgerTreeHeadsTable {
  tree_size: number;
  timestamp: number;
  root_hash: string;
  signature: string;
  /** The key that signed this head (keys rotate; old heads stay verifiable). */
  public_key: string;
}

export interface LedgerTables {
  ledger_entries: LedgerEntriesTable;
  ledger_nodes: LedgerNodesTable;
  ledger_tree_heads: LedgerTreeHeadsTable;
}
