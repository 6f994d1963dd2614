/**
 * Single-shot seal/open (RFC 9180 section 6.1) for one AEAD and one fixed `info`. The open side is
 * the receiver's hot path, so its key schedule is written out with every constant input
 * precomputed: base mode with the default PSK and a fixed `info` makes key_schedule_context
 * constant (section 5.1), and so are the labelled inputs of `secret`, `key` and `base_nonce`. Each
 * Expand here needs one block (L <= Nh), which is one HMAC (RFC 5869 section 2.3, T(1)). Five
 * HMACs in all, as the RFC's steps; only the byte shuffling around them is gone.
 */
import { createHmac, createSecretKey, diffieHellman, type KeyObject } from 'node:crypto';
import { concat, i2osp, utf8 } from '../bytes.js';
import { type KeyPair, publicKeyObject } from '../keys.js';
import type { Aead } from './aead.js';
import { baseKeyScheduleContext, HpkeContext, keySchedule, suiteId } from './context.js';
import { encap, KEM_ID, NENC, NSECRET } from './dhkem-x25519.js';

const HPKE_V1 = utf8('HPKE-v1');
const KEM_SUITE_ID = concat(utf8('KEM'), i2osp(KEM_ID, 2));
const ONE = Uint8Array.of(1);
/** Ndh of X25519: the length of a Diffie-Hellman output (section 7.1). */
const NDH = 32;
/** HKDF-Extract with an empty salt is HMAC under HashLen zero bytes (RFC 5869 section 2.2). */
const ZERO_SALT: KeyObject = createSecretKey(new Uint8Array(32));

const hmac = (key: Uint8Array | KeyObject, data: Uint8Array): Buffer =>
  createHmac('sha256', key).update(data).digest();

/** labeled_info || 0x01 of a one-block LabeledExpand (section 4), when all of `info` is known. */
const expandInput = (suite: Uint8Array, label: string, info: Uint8Array, length: number) =>
  concat(i2osp(length, 2), HPKE_V1, suite, utf8(label), info, ONE);

/**
 * `const wrap = singleShot(AES_256_GCM, utf8('my app'))`; `wrap.seal(pkR, aad, pt)` gives
 * `{ enc, ct }`, `wrap.open(enc, recipient, aad, ct)` the plaintext or undefined.
 */
export function singleShot(aead: Aead, info: Uint8Array) {
  const suite = suiteId(KEM_ID, aead);
  const ksc = baseKeyScheduleContext(suite, info);
  // DHKEM ExtractAndExpand (section 4.1): the label prefixes around dh and kem_context.
  const eaePrkPrefix = concat(HPKE_V1, KEM_SUITE_ID, utf8('eae_prk'));
  const sharedSecretPrefix = concat(i2osp(NSECRET, 2), HPKE_V1, KEM_SUITE_ID, utf8('shared_secret'));
  // Each HMAC input is laid out in one buffer, so that it is one update rather than one per part.
  const eaeAt = eaePrkPrefix.length;
  const ssAt = eaeAt + NDH;
  const encAt = ssAt + sharedSecretPrefix.length;
  const pkAt = encAt + NENC;
  const inputLength = pkAt + NENC + 1;
  // KeySchedule (section 5.1): secret = LabeledExtract(shared_secret, "secret", default_psk = "").
  const secretInput = concat(HPKE_V1, suite, utf8('secret'));
  const keyInput = expandInput(suite, 'key', ksc, aead.nk);
  const nonceInput = expandInput(suite, 'base_nonce', ksc, aead.nn);

  return {
    seal(pkR: Uint8Array, aad: Uint8Array, pt: Uint8Array, ikmE?: Uint8Array) {
      const { sharedSecret, enc } = encap(pkR, ikmE);
      const ctx = new HpkeContext(suite, aead, keySchedule(suite, aead, sharedSecret, info, ksc));
      return { enc, ct: ctx.seal(aad, pt) };
    },
    /** Undefined if enc is not a usable X25519 key or the ciphertext does not authenticate. */
    open(enc: Uint8Array, recipient: KeyPair, aad: Uint8Array, ct: Uint8Array): Uint8Array | undefined {
      if (enc.length !== NENC) return undefined;
      let dh: Buffer;
      try {
        dh = diffieHellman({ privateKey: recipient.privateKey, publicKey: publicKeyObject('x25519', enc) });
      } catch {
        return undefined;
      }
      // Section 7.1.4: an all-zero X25519 output (a small-order public key) must abort.
      let acc = 0;
      for (let i = 0; i < dh.length; i++) acc |= dh[i] as number;
      if (acc === 0) return undefined;
      // [eae_prk prefix | dh] [shared_secret prefix | enc | pkR | 0x01]; its own memory, not a
      // slice of node's shared Buffer pool, since it holds the DH output.
      const input = new Uint8Array(inputLength);
      input.set(eaePrkPrefix, 0);
      input.set(dh, eaeAt);
      input.set(sharedSecretPrefix, ssAt);
      input.set(enc, encAt);
      input.set(recipient.publicKey, pkAt);
      input[inputLength - 1] = 1;
      const eaePrk = hmac(ZERO_SALT, input.subarray(0, ssAt));
      const sharedSecret = hmac(eaePrk, input.subarray(ssAt));
      const secret = hmac(sharedSecret, secretInput);
      const key = hmac(secret, keyInput).subarray(0, aead.nk);
      // Sequence number 0: the nonce is base_nonce itself (section 5.2).
      const nonce = hmac(secret, nonceInput).subarray(0, aead.nn);
      return aead.open(key, nonce, aad, ct);
    },
  };
}
