/** The AEADs of RFC 9180 section 7.3, on node:crypto. Ciphertexts carry the 16-byte tag at the end. */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export interface Aead {
  readonly id: number;
  readonly name: string;
  readonly nk: number;
  readonly nn: number;
  readonly nt: number;
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array;
  /** Undefined when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array | undefined;
}

type CipherName = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

function nodeAead(id: number, cipher: CipherName, nk: number): Aead {
  const nt = 16;
  return {
    id,
    name: cipher,
    nk,
    nn: 12,
    nt,
    seal(key, nonce, aad, pt) {
      // biome-ignore lint/suspicious/noExplicitAny: node's overloads cannot name the union of GCM and ChaCha ciphers
      const c = createCipheriv(cipher as any, key, nonce, {
        authTagLength: nt,
      }) as import('node:crypto').CipherGCM;
      c.setAAD(aad, { plaintextLength: pt.length });
      const head = c.update(pt);
      const tail = c.final();
      const tag = c.getAuthTag();
      const out = new Uint8Array(head.length + tail.length + nt);
      out.set(head, 0);
      out.set(tail, head.length);
      out.set(tag, head.length + tail.length);
      return out;
    },
    open(key, nonce, aad, ct) {
      if (ct.length < nt) return undefined;
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const d = createDecipheriv(cipher as any, key, nonce, {
        authTagLength: nt,
      }) as import('node:crypto').DecipherGCM;
      // plaintextLength is for CCM only; GCM and ChaCha20-Poly1305 take the AAD as it comes.
      d.setAAD(aad);
      d.setAuthTag(ct.subarray(ct.length - nt));
      const head = d.update(ct.subarray(0, ct.length - nt));
      try {
        const tail = d.final();
        // A view, not a copy: `head` is a fresh buffer that nothing else holds.
        const out = tail.length === 0 ? head : Buffer.concat([head, tail]);
        return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
      } catch {
        return undefined;
      }
    },
  };
}

export const AES_128_GCM = nodeAead(0x0001, 'aes-128-gcm', 16);
export const AES_256_GCM = nodeAead(0x0002, 'aes-256-gcm', 32);
export const CHACHA20_POLY1305 = nodeAead(0x0003, 'chacha20-poly1305', 32);
