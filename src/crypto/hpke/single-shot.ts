/**
 * Single-shot seal/open (RFC 9180 section 6.1) for one AEAD and one fixed `info`. The open side is
 * the receiver's hot path, so its key schedule is written out with every constant input
 * precomputed: base mode with the default PSK and a fixed `info` makes key_schedule_context
 * constant (section 5.1), and so are the labelled inputs of `secret`, `key` and `base_nonce`. Each
 * Expand here needs one block (L <= Nh), which is one HMAC (RFC 5869 section 2.3, T(1)). Five
 * HMACs in all, as the RFC's steps; only the byte shuffling around them is gone.
 */
import { diffieHellman, hash } from 'node:crypto';
import { concat, i2osp, utf8 } from '../bytes.js';
import { type KeyPair, publicKeyObject } from '../keys.js';
import type { Aead } from './aead.js';
import { baseKeyScheduleContext, HpkeContext, keySchedule, suiteId } from './context.js';
import { encap, KEM_ID, NENC, NSECRET } from './dhkem-x25519.js';
import { NH } from './kdf.js';

const HPKE_V1 = utf8('HPKE-v1');
const KEM_SUITE_ID = concat(utf8('KEM'), i2osp(KEM_ID, 2));
const ONE = Uint8Array.of(1);
/** Ndh of X25519: the length of a Diffie-Hellman output (section 7.1). */
const NDH = 32;
const BLOCK = 64; // SHA-256 block size
const IPAD = 0x36;
const OPAD = 0x5c;
/** HKDF-Extract with an empty salt is HMAC under NH zero bytes (RFC 5869 section 2.2); see hmac. */
const ZERO_SALT = '\0'.repeat(NH);

/** labeled_info || 0x01 of a one-block LabeledExpand (section 4), when all of `info` is known. */
const expandInput = (suite: Uint8Array, label: string, info: Uint8Array, length: number) =>
  concat(i2osp(length, 2), HPKE_V1, suite, utf8(label), info, ONE);

/**
 * The inner input of an HMAC-SHA256 under a key of NH bytes: (K ^ ipad) || message. Every key of
 * the open's schedule is NH bytes (a hash output, or ZERO_SALT), so the pad bytes past the key are
 * constant and set here once, with the constant start of the message; a call writes only the key
 * bytes and the varying message bytes.
 */
function innerInput(messageStart: Uint8Array, messageLength: number): Uint8Array {
  const b = new Uint8Array(BLOCK + messageLength);
  b.fill(IPAD, 0, BLOCK);
  b.set(messageStart, BLOCK);
  return b;
}

/**
 * `const wrap = singleShot(AES_256_GCM, utf8('my app'))`; `wrap.seal(pkR, aad, pt)` gives
 * `{ enc, ct }`, `wrap.open(enc, recipient, aad, ct)` the plaintext or undefined.
 */
export function singleShot(aead: Aead, info: Uint8Array) {
  const suite = suiteId(KEM_ID, aead);
  const ksc = baseKeyScheduleContext(suite, info);
  // DHKEM ExtractAndExpand (section 4.1): eae_prk = LabeledExtract("", "eae_prk", dh), then
  // shared_secret = LabeledExpand(eae_prk, "shared_secret", enc || pkR, Nsecret).
  const eaePrkPrefix = concat(HPKE_V1, KEM_SUITE_ID, utf8('eae_prk'));
  const sharedSecretPrefix = concat(i2osp(NSECRET, 2), HPKE_V1, KEM_SUITE_ID, utf8('shared_secret'));
  const eaeIn = innerInput(eaePrkPrefix, eaePrkPrefix.length + NDH);
  const dhAt = BLOCK + eaePrkPrefix.length;
  const ssIn = innerInput(sharedSecretPrefix, sharedSecretPrefix.length + 2 * NENC + 1);
  const encAt = BLOCK + sharedSecretPrefix.length;
  ssIn[ssIn.length - 1] = 1;
  // KeySchedule (section 5.1): secret = LabeledExtract(shared_secret, "secret", default_psk = ""),
  // key and base_nonce = LabeledExpand(secret, ..., key_schedule_context, Nk / Nn).
  const secretInput = concat(HPKE_V1, suite, utf8('secret'));
  const secretIn = innerInput(secretInput, secretInput.length);
  const keyInput = expandInput(suite, 'key', ksc, aead.nk);
  const nonceInput = expandInput(suite, 'base_nonce', ksc, aead.nn);
  const keyIn = innerInput(keyInput, keyInput.length);
  const nonceIn = innerInput(nonceInput, nonceInput.length);
  const outer = new Uint8Array(BLOCK + NH).fill(OPAD, 0, BLOCK);
  const key = new Uint8Array(aead.nk);
  const nonce = new Uint8Array(aead.nn);

  /**
   * HMAC-SHA256 (RFC 2104) as H((K ^ opad) || H((K ^ ipad) || message)), with two one-shot
   * crypto.hash calls over the prepared inputs. Keys and outputs are NH-character 'binary'
   * (Latin-1) strings, one character per byte: a Buffer that node makes for each output costs more
   * than the hash (its memory is outside V8's heap, and the garbage collector tracks and frees each
   * one), and a createHmac costs more again (an object and an OpenSSL HMAC context per call). The
   * inputs are this closure's and open() runs to its end without yielding, so no two opens share
   * them; like every intermediate value of the schedule they are not wiped.
   */
  const hmac = (k: string, inner: Uint8Array): string => {
    for (let i = 0; i < NH; i++) {
      const c = k.charCodeAt(i);
      inner[i] = c ^ IPAD;
      outer[i] = c ^ OPAD;
    }
    const innerHash = hash('sha256', inner, 'binary');
    for (let i = 0; i < NH; i++) outer[BLOCK + i] = innerHash.charCodeAt(i);
    return hash('sha256', outer, 'binary');
  };
  /** The first out.length bytes of a Latin-1 string of bytes, into `out`. */
  const bytesInto = (out: Uint8Array, s: string): Uint8Array => {
    for (let i = 0; i < out.length; i++) out[i] = s.charCodeAt(i);
    return out;
  };

  return {
    seal(pkR: Uint8Array, aad: Uint8Array, pt: Uint8Array, ikmE?: Uint8Array) {
      const { sharedSecret, enc } = encap(pkR, ikmE);
      const ctx = new HpkeContext(suite, aead, keySchedule(suite, aead, sharedSecret, info, ksc));
      return { enc, ct: ctx.seal(aad, pt) };
    },
    /** Undefined if enc is not a usable X25519 key or the ciphertext does not authenticate. */
    open(enc: Uint8Array, recipient: KeyPair, aad: Uint8Array, ct: Uint8Array): Uint8Array | undefined {
      if (enc.length !== NENC || recipient.publicKey.length !== NENC) return undefined;
      let dh: Buffer;
      try {
        dh = diffieHellman({ privateKey: recipient.privateKey, publicKey: publicKeyObject('x25519', enc) });
      } catch {
        return undefined;
      }
      // Section 7.1.4: an all-zero X25519 output (a small-order public key) must abort.
      let acc = 0;
      for (let i = 0; i < dh.length; i++) acc |= dh[i] as number;
      if (acc === 0 || dh.length !== NDH) return undefined;
      eaeIn.set(dh, dhAt);
      const eaePrk = hmac(ZERO_SALT, eaeIn);
      ssIn.set(enc, encAt);
      ssIn.set(recipient.publicKey, encAt + NENC);
      const sharedSecret = hmac(eaePrk, ssIn);
      const secret = hmac(sharedSecret, secretIn);
      // Sequence number 0: the nonce is base_nonce itself (section 5.2). The AEAD copies key and
      // nonce into its cipher context, so the two buffers can serve the next open.
      return aead.open(bytesInto(key, hmac(secret, keyIn)), bytesInto(nonce, hmac(secret, nonceIn)), aad, ct);
    },
  };
}
