/** Ed25519 (RFC 8032, pure mode) through node:crypto, with domain-separated signing inputs. */
import { type KeyObject, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { concat, utf8 } from './bytes.js';
import { type KeyPair, publicKeyObject } from './keys.js';

export const sign = (key: KeyPair, message: Uint8Array): Uint8Array =>
  new Uint8Array(nodeSign(null, message, key.privateKey));

/** False for a wrong signature, a signature of the wrong length, or a key that is not a point. */
export function verify(
  publicKey: Uint8Array | KeyObject,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== 64) return false;
  try {
    const key = publicKey instanceof Uint8Array ? publicKeyObject('ed25519', publicKey) : publicKey;
    return nodeVerify(null, message, key, signature);
  } catch {
    return false;
  }
}

/**
 * Every parley signature is over `context || 0x0a || canonical JSON`, with a context naming the
 * kind of object ("parley/envelope/v1", ...), so a signature made for one kind can never be
 * replayed as another.
 */
export const signingInput = (context: string, canonical: Uint8Array): Uint8Array =>
  concat(utf8(`${context}\n`), canonical);
