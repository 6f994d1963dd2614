/**
 * HPKE (RFC 9180) on node:crypto: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, and any of the three
 * AEADs of section 7.3, base mode. parley's envelopes use AES-256-GCM (suite 0x0020/0x0001/0x0002).
 */
import type { KeyPair } from '../keys.js';
import { AES_128_GCM, AES_256_GCM, type Aead, CHACHA20_POLY1305 } from './aead.js';
import { HpkeContext, keySchedule, suiteId } from './context.js';
import { decap, encap, KEM_ID } from './dhkem-x25519.js';

export { AES_128_GCM, AES_256_GCM, type Aead, CHACHA20_POLY1305 } from './aead.js';
export { HpkeContext, type KeySchedule } from './context.js';
export { deriveKeyPair } from './dhkem-x25519.js';
export { singleShot } from './single-shot.js';

export const AEADS: Readonly<Record<number, Aead>> = {
  [AES_128_GCM.id]: AES_128_GCM,
  [AES_256_GCM.id]: AES_256_GCM,
  [CHACHA20_POLY1305.id]: CHACHA20_POLY1305,
};

/** SetupBaseS(pkR, info) (section 5.1.1); `ikmE` fixes the ephemeral key for test vectors. */
export function setupBaseS(aead: Aead, pkR: Uint8Array, info: Uint8Array, ikmE?: Uint8Array) {
  const { sharedSecret, enc } = encap(pkR, ikmE);
  const suite = suiteId(KEM_ID, aead);
  return {
    enc,
    sharedSecret,
    ctx: new HpkeContext(suite, aead, keySchedule(suite, aead, sharedSecret, info)),
  };
}

/** SetupBaseR(enc, skR, info) (section 5.1.1). Throws if enc is not a usable X25519 public key. */
export function setupBaseR(aead: Aead, enc: Uint8Array, recipient: KeyPair, info: Uint8Array) {
  const sharedSecret = decap(enc, recipient);
  const suite = suiteId(KEM_ID, aead);
  return { sharedSecret, ctx: new HpkeContext(suite, aead, keySchedule(suite, aead, sharedSecret, info)) };
}

/** Single-shot Seal (section 6.1). */
export function sealBase(
  aead: Aead,
  pkR: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  pt: Uint8Array,
  ikmE?: Uint8Array,
) {
  const { enc, ctx } = setupBaseS(aead, pkR, info, ikmE);
  return { enc, ct: ctx.seal(aad, pt) };
}

/** Single-shot Open (section 6.1); undefined if enc or the ciphertext is bad. */
export function openBase(
  aead: Aead,
  enc: Uint8Array,
  recipient: KeyPair,
  info: Uint8Array,
  aad: Uint8Array,
  ct: Uint8Array,
): Uint8Array | undefined {
  let ctx: HpkeContext;
  try {
    ctx = setupBaseR(aead, enc, recipient, info).ctx;
  } catch {
    return undefined;
  }
  return ctx.open(aad, ct);
}
