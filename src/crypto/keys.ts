/**
 * Raw 32-byte Ed25519 / X25519 keys <-> node:crypto KeyObjects. Keys cross into node:crypto as JWK
 * (RFC 8037 OKP keys): measured here, importing a JWK costs about a tenth of importing the same key
 * as DER (SPKI / PKCS #8), and envelopes import two public keys each.
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto';
import { concat, fromHex } from './bytes.js';

export type Curve = 'ed25519' | 'x25519';

const CRV: Record<Curve, string> = { ed25519: 'Ed25519', x25519: 'X25519' };
/** RFC 8410 PKCS #8 prefixes (OIDs 1.3.101.112 and 1.3.101.110), the fallback import path. */
const PKCS8_PREFIX: Record<Curve, Uint8Array> = {
  ed25519: fromHex('302e020100300506032b657004220420'),
  x25519: fromHex('302e020100300506032b656e04220420'),
};
/** A placeholder public half for JWK import; see keyPairFromPrivate. */
const PLACEHOLDER_X = Buffer.alloc(32).toString('base64url');

/** A key pair: the private half as a KeyObject (never leaves node:crypto), the public half raw. */
export interface KeyPair {
  readonly curve: Curve;
  readonly privateKey: KeyObject;
  readonly publicKey: Uint8Array;
  readonly publicKeyObject: KeyObject;
}

const b64u = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

export function publicKeyObject(curve: Curve, raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new RangeError(`${curve} public key must be 32 bytes, got ${raw.length}`);
  return createPublicKey({ key: { kty: 'OKP', crv: CRV[curve], x: b64u(raw) }, format: 'jwk' });
}

export function rawPublicKey(key: KeyObject): Uint8Array {
  const x = key.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new TypeError('not an OKP public key');
  return new Uint8Array(Buffer.from(x, 'base64url'));
}

/** The 32-byte private scalar / seed of an Ed25519 or X25519 private key. */
export function rawPrivateKey(key: KeyObject): Uint8Array {
  const d = key.export({ format: 'jwk' }).d;
  if (typeof d !== 'string') throw new TypeError('not an OKP private key');
  return new Uint8Array(Buffer.from(d, 'base64url'));
}

function importPrivate(curve: Curve, raw: Uint8Array): KeyObject {
  try {
    // node builds OKP private keys from `d` alone, and JWK requires an `x`: a placeholder is given
    // and the real public key derived from the private one below. Should a node version start to
    // check `x`, the import throws and the slower DER path is taken.
    return createPrivateKey({
      key: { kty: 'OKP', crv: CRV[curve], d: b64u(raw), x: PLACEHOLDER_X },
      format: 'jwk',
    });
  } catch {
    return createPrivateKey({
      key: Buffer.from(concat(PKCS8_PREFIX[curve], raw)),
      format: 'der',
      type: 'pkcs8',
    });
  }
}

/** Builds a key pair from a raw 32-byte private key (an Ed25519 seed, RFC 8032 section 5.1.5). */
export function keyPairFromPrivate(curve: Curve, raw: Uint8Array): KeyPair {
  if (raw.length !== 32) throw new RangeError(`${curve} private key must be 32 bytes, got ${raw.length}`);
  const privateKey = importPrivate(curve, raw);
  const publicKeyObj = createPublicKey(privateKey);
  return { curve, privateKey, publicKey: rawPublicKey(publicKeyObj), publicKeyObject: publicKeyObj };
}

export const generateKeyPair = (curve: Curve): KeyPair => keyPairFromPrivate(curve, randomBytes(32));

/**
 * Public KeyObjects by raw key, bounded: a receiver sees the same few peer keys again and again,
 * and importing one costs more than an Ed25519 verification. Owned by whoever opens envelopes.
 */
export class KeyObjectCache {
  private readonly map = new Map<string, KeyObject>();
  constructor(private readonly max = 1024) {}

  /** `text`: the key's base64url form when the caller has it already (an envelope's sender.key). */
  get(curve: Curve, raw: Uint8Array, text = b64u(raw)): KeyObject {
    const id = `${curve}:${text}`;
    let k = this.map.get(id);
    if (!k) {
      k = publicKeyObject(curve, raw);
      if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
      this.map.set(id, k);
    }
    return k;
  }
}
