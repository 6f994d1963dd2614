/**
 * The cryptographic layers of an envelope, shared by create and open (docs/PROTOCOL.md section 6):
 *  - the payload is sealed once with AES-256-GCM under a random 32-byte content key, the AAD being
 *    JCS(envelope without payload and sig) so header and ciphertext cannot be recombined;
 *  - the content key is sealed to each recipient with HPKE base mode, DHKEM(X25519, HKDF-SHA256),
 *    HKDF-SHA256, AES-256-GCM, info "parley/envelope/v1", aad = the envelope id (UTF-8);
 *  - the sender signs "parley/envelope/v1\n" || JCS(envelope without sig) with Ed25519.
 * Sealing once and wrapping the key keeps an envelope to N recipients at one ciphertext.
 */
import { hash } from 'node:crypto';
import { utf8 } from '../bytes.js';
import { canonicalBytes } from '../canonical-json.js';
import { signingInput } from '../ed25519.js';
import { AES_256_GCM } from '../hpke/aead.js';
import { singleShot } from '../hpke/index.js';
import type { Envelope } from './types.js';
import { ENVELOPE_CONTEXT } from './types.js';

export const WRAP_AEAD = AES_256_GCM;
export const WRAP_INFO = utf8(ENVELOPE_CONTEXT);
/** HPKE single-shot seal/open of content keys (a constant, precomputed once). */
export const WRAP = singleShot(WRAP_AEAD, WRAP_INFO);
export const CONTENT_AEAD = AES_256_GCM;

/** The id in UTF-8 (node's encoder: a TextEncoder call costs more on every envelope). */
export const wrapAad = (id: string): Uint8Array => Buffer.from(id, 'utf8');

/** AAD of the payload: the canonical envelope without `payload` and `sig`. */
export function payloadAad(e: Omit<Envelope, 'payload' | 'sig'> | Envelope): Uint8Array {
  const { payload: _p, sig: _s, ...header } = e as Envelope;
  return canonicalBytes(header);
}

/** The bytes the sender signs. */
export function envelopeSigningInput(e: Omit<Envelope, 'sig'> | Envelope): Uint8Array {
  const { sig: _s, ...unsigned } = e as Envelope;
  return signingInput(ENVELOPE_CONTEXT, canonicalBytes(unsigned));
}

/**
 * SHA-256 of the envelope's canonical bytes: its name in the ledger and in receipts. One-shot
 * crypto.hash (Node >= 20.12, as src/ledger/hash.ts) builds no Hash object; its digest is taken as
 * a 'binary' string into a 32-byte array, which V8 keeps on its own heap: a Buffer that node makes
 * lives outside it, and costs the garbage collector more on every received envelope.
 */
export function envelopeHash(bytes: Uint8Array): Uint8Array {
  const d = hash('sha256', bytes, 'binary');
  const out = new Uint8Array(d.length);
  for (let i = 0; i < out.length; i++) out[i] = d.charCodeAt(i);
  return out;
}

const PREFIX = `${ENVELOPE_CONTEXT}\n`;

/**
 * The signing input and the payload AAD, cut out of the envelope's canonical text instead of
 * serialised again (the receiver's hot path). RFC 8785 text of an object without a member is the
 * text without that member and its comma. Only call this after checkEnvelope: then every string in
 * the envelope is from a quote-free alphabet (base64url, node ids, dotted words, timestamps), so
 * the searched substrings can only be the members themselves. Falls back to serialising if not found.
 */
export function signedPartsOf(
  text: string,
  e: Envelope,
): { signingInput: Uint8Array; payloadAad: Uint8Array } {
  const sigMember = `,"sig":"${e.sig}"`;
  const payloadMember = `"payload":{"alg":"${e.payload.alg}","ct":"${e.payload.ct}","iv":"${e.payload.iv}"},`;
  const i = text.indexOf(sigMember);
  const j = text.indexOf(payloadMember);
  if (i < 0 || j < 0 || j > i) return { signingInput: envelopeSigningInput(e), payloadAad: payloadAad(e) };
  const unsigned = text.slice(0, i) + text.slice(i + sigMember.length);
  const header = unsigned.slice(0, j) + unsigned.slice(j + payloadMember.length);
  return { signingInput: Buffer.from(PREFIX + unsigned, 'utf8'), payloadAad: Buffer.from(header, 'utf8') };
}
