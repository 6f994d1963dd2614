/**
 * DHKEM(X25519, HKDF-SHA256), KEM id 0x0020 (RFC 9180 sections 4.1 and 7.1). The ephemeral key is
 * derived from 32 bytes of input keying material with DeriveKeyPair (section 7.1.3), so that tests
 * can replay the RFC's vectors and fixtures can be rebuilt byte for byte; in use the ikm is random.
 */
import { diffieHellman, type KeyObject } from 'node:crypto';
import { concat, i2osp, utf8 } from '../bytes.js';
import { generateKeyPair, type KeyPair, keyPairFromPrivate, publicKeyObject } from '../keys.js';
import { labeledExpand, labeledExtract } from './kdf.js';

export const KEM_ID = 0x0020;
export const NSECRET = 32;
export const NENC = 32;
const KEM_SUITE_ID = concat(utf8('KEM'), i2osp(KEM_ID, 2));
const EMPTY = new Uint8Array(0);

/** DeriveKeyPair(ikm) for X25519 (RFC 9180 section 7.1.3). */
export function deriveKeyPair(ikm: Uint8Array): KeyPair {
  const prk = labeledExtract(KEM_SUITE_ID, EMPTY, 'dkp_prk', ikm);
  const sk = labeledExpand(KEM_SUITE_ID, prk, 'sk', EMPTY, 32);
  return keyPairFromPrivate('x25519', sk);
}

function dh(sk: KeyObject, pk: KeyObject): Uint8Array {
  const z = new Uint8Array(diffieHellman({ privateKey: sk, publicKey: pk }));
  // RFC 9180 section 7.1.4: an all-zero X25519 output (a small-order public key) must abort.
  let acc = 0;
  for (const b of z) acc |= b;
  if (acc === 0) throw new Error('DHKEM: all-zero shared secret');
  return z;
}

function extractAndExpand(dhValue: Uint8Array, kemContext: Uint8Array): Uint8Array {
  const eaePrk = labeledExtract(KEM_SUITE_ID, EMPTY, 'eae_prk', dhValue);
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, NSECRET);
}

/**
 * Encap(pkR): returns the shared secret and the encapsulated key `enc` (= pkE). With `ikmE` the
 * ephemeral key is DeriveKeyPair(ikmE) (vectors, fixtures); without, GenerateKeyPair() (section
 * 4): 32 random bytes imported as the private key. Not node's generateKeyPairSync: on Node.js 20
 * its finished key-generation jobs, collected by a garbage collection that starts while a key is
 * exported as JWK, wait for a lock the export holds, and the process hangs (a loop of 150,000
 * seals hung in each of three runs; with this import, none did).
 */
export function encap(pkR: Uint8Array, ikmE?: Uint8Array) {
  const e = ikmE ? deriveKeyPair(ikmE) : generateKeyPair('x25519');
  const z = dh(e.privateKey, publicKeyObject('x25519', pkR));
  const enc = e.publicKey;
  return { sharedSecret: extractAndExpand(z, concat(enc, pkR)), enc };
}

/** Decap(enc, skR). */
export function decap(enc: Uint8Array, recipient: KeyPair): Uint8Array {
  if (enc.length !== NENC) throw new Error('DHKEM: enc must be 32 bytes');
  const z = dh(recipient.privateKey, publicKeyObject('x25519', enc));
  return extractAndExpand(z, concat(enc, recipient.publicKey));
}
