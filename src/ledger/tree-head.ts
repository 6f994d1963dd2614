/**
 * Signed tree heads (RFC 9162 section 4.10, simplified). The signed bytes are a fixed binary layout,
 * after a context line so that the node key's signature on a tree head can never pass for one on an
 * envelope (the context convention of src/crypto):
 *
 *   "parley/ledger/tree-head/v1\n"      27 ASCII bytes (with the newline)
 *   timestamp                          uint64 big-endian, milliseconds since the epoch
 *   tree_size                          uint64 big-endian
 *   root_hash length                   uint8, always 32
 *   root_hash                          32 bytes
 *   extensions length                  uint16 big-endian, always 0
 *
 * The fields after the context line are RFC 9162's TreeHead structure in TLS encoding.
 * Ed25519 (RFC 8032) through node:crypto; the ledger takes a narrow Signer, not src/crypto's keys.
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { fromHex, HASH_SIZE, toHex } from './hash.js';
import { isTreeIndex } from './tree-math.js';

/** What the ledger needs of the node's identity: a raw 32-byte Ed25519 public key and a way to sign. */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/** Checks a signature; the default is Ed25519 over node:crypto. */
export type VerifyFn = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

/** A signed tree head as JSON: hashes in lower-case hex, the signature in base64url (no padding). */
export interface SignedTreeHead {
  treeSize: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  rootHash: string;
  signature: string;
}

export const TREE_HEAD_CONTEXT = 'parley/ledger/tree-head/v1';

export function treeHeadBytes(treeSize: number, timestamp: number, rootHash: Uint8Array): Uint8Array {
  const ctx = Buffer.from(`${TREE_HEAD_CONTEXT}\n`, 'ascii');
  const out = Buffer.alloc(ctx.length + 8 + 8 + 1 + HASH_SIZE + 2);
  ctx.copy(out, 0);
  let o = ctx.length;
  out.writeBigUInt64BE(BigInt(timestamp), o);
  o += 8;
  out.writeBigUInt64BE(BigInt(treeSize), o);
  o += 8;
  out.writeUInt8(HASH_SIZE, o);
  o += 1;
  Buffer.from(rootHash).copy(out, o);
  // The last two bytes stay 0: no extensions.
  return out;
}

export function signTreeHead(
  signer: Signer,
  treeSize: number,
  timestamp: number,
  rootHash: Uint8Array,
): SignedTreeHead {
  const signature = signer.sign(treeHeadBytes(treeSize, timestamp, rootHash));
  return { treeSize, timestamp, rootHash: toHex(rootHash), signature: toB64u(signature) };
}

/** Parses a tree head that came from outside; undefined when a field is missing or malformed. */
export function parseTreeHead(x: unknown): SignedTreeHead | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const h = x as Record<string, unknown>;
  if (!isTreeIndex(h.treeSize) || !isTreeIndex(h.timestamp)) return undefined;
  if (fromHex(h.rootHash) === undefined || typeof h.signature !== 'string' || !B64U_RE.test(h.signature)) {
    return undefined;
  }
  return {
    treeSize: h.treeSize,
    timestamp: h.timestamp,
    rootHash: h.rootHash as string,
    signature: h.signature,
  };
}

/** True when the head is signed by `publicKey`; malformed input is simply not verified. */
export function verifyTreeHead(
  sth: SignedTreeHead,
  publicKey: Uint8Array,
  check: VerifyFn = ed25519Verify,
): boolean {
  const root = fromHex(sth.rootHash);
  if (root === undefined || !isTreeIndex(sth.treeSize) || !isTreeIndex(sth.timestamp)) return false;
  return check(publicKey, treeHeadBytes(sth.treeSize, sth.timestamp, root), fromB64u(sth.signature));
}

const B64U_RE = /^[A-Za-z0-9_-]*$/;
export const toB64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
export const fromB64u = (s: string): Uint8Array => Buffer.from(s, 'base64url');

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4) before the 32 raw key bytes.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Key objects of the public keys seen lately: every receipt and tree head a peer signs is checked
 * against one of a few keys, and importing the key cost as much as the verification itself.
 */
const publicKeys = new Map<string, KeyObject>();
const PUBLIC_KEYS_MAX = 256;

export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  const hit = publicKeys.get(id);
  if (hit) return hit;
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  if (publicKeys.size >= PUBLIC_KEYS_MAX) publicKeys.delete(publicKeys.keys().next().value as string);
  publicKeys.set(id, key);
  return key;
}

export const ed25519Verify: VerifyFn = (publicKey, message, signature) => {
  if (publicKey.byteLength !== 32 || signature.byteLength !== 64) return false;
  try {
    return verify(null, message, ed25519PublicKey(publicKey), signature);
  } catch {
    return false;
  }
};

/** A Signer over an Ed25519 private KeyObject (node:crypto). */
export function ed25519Signer(privateKey: KeyObject): Signer {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x as string, 'base64url');
  return { publicKey, sign: (m) => sign(null, m, privateKey) };
}

/** PKCS #8 DER of an Ed25519 private key (RFC 8410), up to its 32-byte seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * A fresh key, for tests and tools: a random seed imported, not generateKeyPairSync, whose jobs can
 * hang Node.js 20 when collected during a JWK export (see src/crypto/hpke/dhkem-x25519.ts).
 */
export const generateSigner = (): Signer =>
  ed25519Signer(
    createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, randomBytes(32)]),
      format: 'der',
      type: 'pkcs8',
    }),
  );
