/**
 * Byte helpers shared by the crypto part. Keys and signatures travel as base64url without padding
 * (RFC 4648 section 5), the form JOSE uses; decoding is strict so that one byte string has exactly
 * one text form (a lenient decoder would let two different envelopes carry the same signature).
 */
import { timingSafeEqual } from 'node:crypto';

const B64URL = /^[A-Za-z0-9_-]*$/;

export const toB64u = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');

const B64_VALUE = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) {
  B64_VALUE[c.charCodeAt(0)] = i;
}

/** Strict base64url: alphabet, no padding, and the canonical encoding of its bytes. Undefined if not. */
export function fromB64u(s: string, expectedLength?: number): Uint8Array | undefined {
  const rem = s.length % 4;
  if (rem === 1 || !B64URL.test(s)) return undefined;
  // Unused low bits of the last character must be zero (RFC 4648 section 3.5, canonical encoding):
  // 2 characters of a final group carry 8 bits (4 unused), 3 carry 16 (2 unused).
  if (rem !== 0) {
    const last = B64_VALUE[s.charCodeAt(s.length - 1)] ?? -1;
    if ((last & (rem === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  }
  const b = Buffer.from(s, 'base64url');
  if (expectedLength !== undefined && b.length !== expectedLength) return undefined;
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export const fromHex = (h: string): Uint8Array => {
  const b = Buffer.from(h, 'hex');
  if (b.length * 2 !== h.length) throw new Error(`not hex: ${h.slice(0, 16)}...`);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

export const toHex = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

const encoder = new TextEncoder();
export const utf8 = (s: string): Uint8Array => encoder.encode(s);

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** I2OSP from RFC 8017 section 4.1, as RFC 9180 uses it (big-endian, fixed width). */
export function i2osp(n: number, w: number): Uint8Array {
  const out = new Uint8Array(w);
  let v = n;
  for (let i = w - 1; i >= 0 && v > 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return out;
}

export const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && timingSafeEqual(a, b);
