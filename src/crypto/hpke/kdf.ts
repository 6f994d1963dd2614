/**
 * HKDF-SHA256 (RFC 5869) and the labelled forms of RFC 9180 section 4. Written on HMAC because
 * `crypto.hkdfSync` fuses Extract and Expand, while HPKE needs each step on its own with labels.
 */
import { createHmac } from 'node:crypto';
import { concat, i2osp, utf8 } from '../bytes.js';

export const NH = 32; // output size of SHA-256
const HPKE_V1 = utf8('HPKE-v1');

/** HKDF-Extract (RFC 5869 section 2.2); an empty salt is HashLen zero bytes, which HMAC pads to anyway. */
export const extract = (salt: Uint8Array, ikm: Uint8Array): Uint8Array =>
  new Uint8Array(createHmac('sha256', salt).update(ikm).digest());

/** HKDF-Expand (RFC 5869 section 2.3). */
export function expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (length > 255 * NH) throw new RangeError('HKDF-Expand: length too large');
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  let filled = 0;
  for (let i = 1; filled < length; i++) {
    t = new Uint8Array(createHmac('sha256', prk).update(t).update(info).update(Uint8Array.of(i)).digest());
    out.set(t.subarray(0, Math.min(NH, length - filled)), filled);
    filled += NH;
  }
  return out;
}

/** LabeledExtract(salt, label, ikm) of RFC 9180 section 4. */
export const labeledExtract = (suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array) =>
  extract(salt, concat(HPKE_V1, suiteId, utf8(label), ikm));

/** LabeledExpand(prk, label, info, L) of RFC 9180 section 4. */
export const labeledExpand = (
  suiteId: Uint8Array,
  prk: Uint8Array,
  label: string,
  info: Uint8Array,
  length: number,
) => expand(prk, concat(i2osp(length, 2), HPKE_V1, suiteId, utf8(label), info), length);
