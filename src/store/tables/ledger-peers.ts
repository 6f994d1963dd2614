/**
 * Row types of the ledger's peer-facing tables (migrations 0005-receipts and 0006-gossip): receipts
 * a sender keeps, tree heads seen from peers, and alerts about peers whose heads do not agree.
 */

export interface LedgerReceiptsTable {
  /** The envelope the receipt is for, SHA-256 lower-case hex. */
  envelope_hash: string;
  recipient: string;
  /** RFC 3339 UTC: when the recipient logged it. */
  received: string;
  /** The receipt as JSON (src/ledger/receipt.ts Receipt). */
  receipt: string;
}

export interface LedgerPeerHeadsTable {
  peer: string;
  tree_size: number;
  timestamp: number;
  root_hash: string;
  signature: string;
  public_key: string;
  /** RFC 3339 UTC: when this node first saw the head. */
  seen: string;
}

export interface LedgerAlertsTable {
  id: string;
  peer: string;
  /** e.g. ledger.fork */
  code: string;
  reason: string;
  /** JSON: both signed heads and the proof that failed (ForkEvidence). */
  evidence: string;
  created: string;
}

export interface LedgerPeerTables {
  ledger_receipts: LedgerReceiptsTable;
  ledger_peer_heads: LedgerPeerHeadsTable;
  ledger_alerts: LedgerAlertsTable;
}
