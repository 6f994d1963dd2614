/**
 * Raw 32-byte Ed25519 / X25519 keys <-> node:crypto KeyObjects. node:crypto takes keys as DER, so a
 * raw key is wrapped in the fixed ASN.1 prefix of RFC 8410 (SubjectPublicKeyInfo for public keys,
 * PKCS #8 OneAsymmetricKey for private ones); the OIDs are 1.3.101.112 (Ed25519) and 1.3.101.110 (X25519).
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { concat, fromHex } from './bytes.js';

export type Curve = 'ed25519' | 'x25519';

const SPKI_PREFIX: Record<Curve, Uint8Array> = {
  ed25519: fromHex('302a300506032b6570032100'),
  x25519: fromHex('302a300506032b656e032100'),
};
const PKCS8_PREFIX: Record<Curve, Uint8Array> = {
  ed25519: fromHex('302e020100300506032b657004220420'),
  x25519: fromHex('302e020100300506032b656e04220420'),
};

/** A key pair: the private half as a KeyObject (never leaves node:crypto), the public half raw. */
export interface KeyPair {
  readonly curve: Curve;
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
  readonly publicKeyObject: KeyObject;
}

export function publicKeyObject(curve: Curve, raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError(`${curve} public key must be 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: Buffer.from(concat(SPKI_PREFIX[curve], raw)), format: 'der', type: 'spki' });
}

export function rawPublicKey(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** The 32-byte private scalar / seed of an Ed25519 or X25519 private key. */
export function rawPrivateKey(key: KeyObject): Uint8Array {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** Builds a key pair from a raw 32-byte private key (an Ed25519 seed, RFC 8032 section 5.1.5). */
export function keyPairFromPrivate(curve: Curve, raw: Uint8Array): KeyPair {
  if (raw.length !== 32) throw new RangeError(`${curve} private key must be 32 bytes, got ${raw.length}`);
  const privateKey = createPrivateKey({
    key: Buffer.from(concat(PKCS8_PREFIX[curve], raw)),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKeyObj = createPublicKey(privateKey);
  return { curve, privateKey, publicKey: rawPublicKey(publicKeyObj), publicKeyObject: publicKeyObj };
}

export const generateKeyPair = (curve: Curve): KeyPair => keyPairFromPrivate(curve, randomBytes(32));
