/**
 * Self-contained proofs, checked offline with nothing but this file's logic (documented for hand
 * checking in docs/LEDGER.md). Checks return results instead of throwing: a bad proof is an answer,
 * not an error.
 */
import { entryLeafHash, type LedgerEntry, parseEntry } from './entry.js';
import { bytesEqual, EMPTY_ROOT, fromHex, toHex } from './hash.js';
import {
  ed25519Verify,
  fromB64u,
  parseTreeHead,
  type SignedTreeHead,
  type VerifyFn,
  verifyTreeHead,
} from './tree-head.js';
import { isTreeIndex } from './tree-math.js';
import { verifyConsistency, verifyInclusion } from './verify-proofs.js';

export const PROOF_FORMAT = 'parley-ledger-proof/1';

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** RFC 9162 section 2.1.3.1 PATH, nearest the leaf first, lower-case hex. */
  path: string[];
}

export interface ConsistencyProof {
  first: number;
  second: number;
  /** RFC 9162 section 2.1.4.1 PROOF, lower-case hex. */
  path: string[];
}

/** What `prove()` returns: everything needed to show that the log of `publicKey` holds `entry`. */
export interface LedgerProof {
  format: typeof PROOF_FORMAT;
  entry: LedgerEntry;
  /** SHA-256(0x00 || canonical entry bytes), hex. */
  leafHash: string;
  treeHead: SignedTreeHead;
  inclusion: InclusionProof;
  /** The log's Ed25519 public key, raw 32 bytes in base64url. */
  publicKey: string;
}

export type CheckResult = { ok: true } | { ok: false; code: string; reason: string };

const fail = (code: string, reason: string): CheckResult => ({ ok: false, code, reason });

function parsePath(x: unknown): Uint8Array[] | undefined {
  if (!Array.isArray(x) || x.length > 64) return undefined;
  const out: Uint8Array[] = [];
  for (const h of x) {
    const b = fromHex(h);
    if (b === undefined) return undefined;
    out.push(b);
  }
  return out;
}

function parseKey(x: unknown): Uint8Array | undefined {
  if (typeof x !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(x)) return undefined;
  return fromB64u(x);
}

/**
 * Verifies a proof object offline: the entry hashes to the leaf, the tree head is signed by the
 * key (and, with `trustedKeys`, the key is one of them), and the inclusion path leads from the leaf
 * to the signed root (RFC 9162 section 2.1.3.2).
 */
export function checkProof(
  proof: unknown,
  opts: { trustedKeys?: readonly string[]; verify?: VerifyFn } = {},
): CheckResult {
  if (typeof proof !== 'object' || proof === null)
    return fail('ledger.proof_malformed', 'proof is not an object');
  const p = proof as Record<string, unknown>;
  if (p.format !== PROOF_FORMAT)
    return fail('ledger.proof_malformed', `proof format must be "${PROOF_FORMAT}"`);
  const entry = parseEntry(p.entry);
  if (!entry) return fail('ledger.proof_malformed', 'proof entry is missing a field or has a malformed one');
  const leaf = fromHex(p.leafHash);
  if (!leaf) return fail('ledger.proof_malformed', 'proof leafHash must be 64 hex characters');
  const sth = parseTreeHead(p.treeHead);
  if (!sth) return fail('ledger.proof_malformed', 'proof treeHead is missing a field or has a malformed one');
  const key = parseKey(p.publicKey);
  if (!key) return fail('ledger.proof_malformed', 'proof publicKey must be a 32-byte key in base64url');
  const inc = p.inclusion as Record<string, unknown> | null;
  const path = parsePath(inc?.path);
  if (!inc || !isTreeIndex(inc.leafIndex) || !isTreeIndex(inc.treeSize) || !path) {
    return fail(
      'ledger.proof_malformed',
      'proof inclusion needs leafIndex, treeSize and a path of hex hashes',
    );
  }
  if (opts.trustedKeys && !opts.trustedKeys.includes(p.publicKey as string)) {
    return fail('ledger.untrusted_key', 'proof is signed by a key that is not among the trusted keys');
  }
  if (!bytesEqual(entryLeafHash(entry), leaf)) {
    return fail('ledger.entry_mismatch', 'the entry does not hash to leafHash (the entry was altered)');
  }
  if (inc.leafIndex !== entry.index) {
    return fail(
      'ledger.entry_mismatch',
      `inclusion leafIndex ${inc.leafIndex} is not the entry index ${entry.index}`,
    );
  }
  if (inc.treeSize !== sth.treeSize) {
    return fail(
      'ledger.proof_malformed',
      `inclusion treeSize ${inc.treeSize} is not the tree head's ${sth.treeSize}`,
    );
  }
  if (!verifyTreeHead(sth, key, opts.verify ?? ed25519Verify)) {
    return fail('ledger.bad_signature', 'the tree head signature does not verify with publicKey');
  }
  if (!verifyInclusion(inc.leafIndex, inc.treeSize, leaf, path, fromHex(sth.rootHash)!)) {
    return fail(
      'ledger.bad_inclusion',
      `the inclusion path does not lead from leaf ${entry.index} to the signed root`,
    );
  }
  return { ok: true };
}

/** Evidence that a log showed two views that cannot both be true: keep it, show it to the peer. */
export interface ForkEvidence {
  older: SignedTreeHead;
  newer: SignedTreeHead;
  proof?: ConsistencyProof;
  /**
   * True when the heads alone prove the fork (same size, different roots, both signed). False when
   * the log merely failed to give a valid consistency proof: a fork, or a damaged proof.
   */
  conclusive: boolean;
}

export type ConsistencyResult =
  | { ok: true }
  | { ok: false; code: 'ledger.fork'; reason: string; evidence: ForkEvidence }
  | { ok: false; code: string; reason: string };

/**
 * Checks that `newSth` extends `oldSth` (RFC 9162 section 2.1.4.2), both signed by one of `keys`
 * (base64url). The heads may come in either order. A fork yields `ledger.fork` with evidence.
 */
export function checkConsistency(
  oldSth: SignedTreeHead,
  newSth: SignedTreeHead,
  proof: ConsistencyProof | undefined,
  keys: string | readonly string[],
  verify: VerifyFn = ed25519Verify,
): ConsistencyResult {
  const a = parseTreeHead(oldSth);
  const b = parseTreeHead(newSth);
  if (!a || !b) return { ok: false, code: 'ledger.proof_malformed', reason: 'a tree head is malformed' };
  const [older, newer] = a.treeSize <= b.treeSize ? [a, b] : [b, a];
  const keyList = (typeof keys === 'string' ? [keys] : keys).map(parseKey);
  const signed = (h: SignedTreeHead) => keyList.some((k) => k !== undefined && verifyTreeHead(h, k, verify));
  if (!signed(older) || !signed(newer)) {
    return { ok: false, code: 'ledger.bad_signature', reason: 'a tree head is not signed by the given key' };
  }
  if (older.treeSize === newer.treeSize) {
    if (older.rootHash === newer.rootHash) return { ok: true };
    return {
      ok: false,
      code: 'ledger.fork',
      reason: `two signed tree heads of size ${older.treeSize} have different roots`,
      evidence: { older, newer, conclusive: true },
    };
  }
  // The empty tree is a prefix of every tree, provided it really is the empty tree.
  if (older.treeSize === 0) {
    if (older.rootHash === toHex(EMPTY_ROOT)) return { ok: true };
    return {
      ok: false,
      code: 'ledger.fork',
      reason: 'a signed tree head of size 0 has a root other than SHA-256("")',
      evidence: { older, newer, conclusive: true },
    };
  }
  const path = parsePath(proof?.path);
  if (!proof || !path || proof.first !== older.treeSize || proof.second !== newer.treeSize) {
    return {
      ok: false,
      code: 'ledger.proof_malformed',
      reason: `a consistency proof from size ${older.treeSize} to ${newer.treeSize} is needed`,
    };
  }
  if (
    verifyConsistency(
      older.treeSize,
      newer.treeSize,
      fromHex(older.rootHash)!,
      fromHex(newer.rootHash)!,
      path,
    )
  ) {
    return { ok: true };
  }
  return {
    ok: false,
    code: 'ledger.fork',
    reason: `the tree head of size ${newer.treeSize} does not extend the one of size ${older.treeSize}`,
    evidence: { older, newer, proof, conclusive: false },
  };
}
