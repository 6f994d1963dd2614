/**
 * The ledger: each node's append-only, tamper-evident Merkle log (RFC 9162 section 2.1) of every
 * envelope it sends and receives. Format, hashing, tree heads and the proof JSON are documented in
 * docs/LEDGER.md; in short:
 *
 * - An entry {index, envelopeHash, direction, peerNodeId, agreementId, time, kind} is serialised as
 *   RFC 8785 canonical JSON with "v":1; its leaf hash is SHA-256(0x00 || bytes), interior nodes
 *   SHA-256(0x01 || left || right), the empty tree SHA-256("").
 * - A signed tree head {treeSize, timestamp, rootHash, signature} is an Ed25519 signature over
 *   "parley/ledger/tree-head/v1\n" || RFC 9162 TreeHead (TLS encoding).
 * - Inclusion and consistency proofs are RFC 9162 PATH and PROOF, verified as in 2.1.3.2 / 2.1.4.2.
 *
 * Usage:
 *   const ledger = createLedger({ database, signer });
 *   const [e] = await ledger.appendMany([{ envelopeHash, direction: 'in', peerNodeId, agreementId, kind: 'message' }]);
 *   const proof = await ledger.prove(e.index);          // JSON-ready, self-contained
 *   checkProof(proof);                                   // { ok: true }, offline
 *   await verifyLog(database);                           // { ok, size, problem? }
 *   checkConsistency(oldSth, newSth, await ledger.consistencyProof(old.treeSize, new.treeSize), key);
 */
export { MemoryTree, type NodeSource } from './compact-tree.js';
export {
  type Direction,
  ENTRY_VERSION,
  type EntryInput,
  entryBytes,
  type LedgerEntry,
  parseEntry,
} from './entry.js';
export {
  createGossip,
  Gossip,
  type KeyedTreeHead,
  type LedgerAlert,
  type ObserveResult,
  type SeenHead,
} from './gossip.js';
export {
  forkHandler,
  GOSSIP_TYPES,
  type GossipTransport,
  gossipRound,
  type HeadAnswer,
  headHandler,
  type RoundResult,
} from './gossip-exchange.js';
export { EMPTY_ROOT, leafHash, nodeHash } from './hash.js';
export { type AppendOptions, createLedger, LEDGER_LOCK, Ledger, type LedgerOptions } from './ledger.js';
export {
  type CheckResult,
  type ConsistencyProof,
  type ConsistencyResult,
  checkConsistency,
  checkProof,
  type ForkEvidence,
  type InclusionProof,
  type LedgerProof,
  PROOF_FORMAT,
} from './proof.js';
export {
  checkReceipt,
  LEDGER_RECEIPT_CONTEXT,
  ledgerIn,
  makeReceipt,
  RECEIPT_TYPE,
  type Receipt,
} from './receipt.js';
export {
  type DeliveryLike,
  type InboundLike,
  inboundReceiptHook,
  outboundSentHook,
  type SentHookOptions,
  type SentLike,
} from './receipt-hooks.js';
export { type ReceiptStore, receiptStore } from './receipt-store.js';
export {
  ed25519Signer,
  ed25519Verify,
  generateSigner,
  parseTreeHead,
  type SignedTreeHead,
  type Signer,
  signTreeHead,
  TREE_HEAD_CONTEXT,
  treeHeadBytes,
  type VerifyFn,
  verifyTreeHead,
} from './tree-head.js';
export {
  type LogProblem,
  type LogProblemKind,
  type VerifyLogOptions,
  type VerifyReport,
  verifyLog,
} from './verify-log.js';
export { rootFromInclusion, verifyConsistency, verifyInclusion } from './verify-proofs.js';
