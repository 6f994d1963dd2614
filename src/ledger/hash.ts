/**
 * The hashing of RFC 9162 section 2.1.1: SHA-256 with one byte of domain separation so that a leaf
 * can never be passed off as an interior node (the second-preimage defence of the RFC).
 *   leaf:     HASH(0x00 || leaf bytes)
 *   interior: HASH(0x01 || left || right)
 *   empty:    HASH("")
 */
import { createHash, hash } from 'node:crypto';

/** Bytes in a SHA-256 digest, the only hash this log uses. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) = SHA-256 of the empty string (RFC 9162 section 2.1.1). */
export const EMPTY_ROOT: Uint8Array = createHash('sha256').digest();

// crypto.hash (one shot, Node >= 20.12) is about twice as fast as createHash for inputs this small.
export function leafHash(leaf: Uint8Array): Uint8Array {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, leaf]), 'buffer');
}

/** Leaf hash of a string's UTF-8 bytes, without an intermediate buffer (the 0x00 prefix is "\0"). */
export function leafHashOfText(text: string): Uint8Array {
  return hash('sha256', `\0${text}`, 'buffer');
}

/** 0x01 || left || right is assembled here rather than in a fresh buffer per node (hashing is synchronous). */
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.byteLength !== HASH_SIZE || right.byteLength !== HASH_SIZE) {
    return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  }
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

export const toHex = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Lower-case hex of exactly `bytes` bytes, or undefined: proofs arrive from outside and are checked. */
export function fromHex(s: unknown, bytes = HASH_SIZE): Uint8Array | undefined {
  if (typeof s !== 'string' || s.length !== bytes * 2 || !/^[0-9a-f]*$/.test(s)) return undefined;
  return Buffer.from(s, 'hex');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
