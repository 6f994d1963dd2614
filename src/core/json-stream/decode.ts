/**
 * Turns the bytes of one value into text and a parsed value, each exactly once: a fatal UTF-8
 * decoder (RFC 8259 §8.1: JSON text exchanged between systems MUST be UTF-8), then JSON.parse. The
 * slow paths below run only to say where a fault is.
 */
import { inputError } from './errors.js';
import { locateJsonError } from './locate-json-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes and parses `bytes`, which start at input byte `offset` (element `index`, if any). */
export function decodeValue(
  bytes: Uint8Array,
  offset: number,
  index: number | undefined,
): { raw: string; value: unknown } {
  let raw: string;
  try {
    raw = utf8.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw inputError('invalid_utf8', 'invalid UTF-8 byte sequence', { offset: offset + bad, index });
  }
  try {
    return { raw, value: JSON.parse(raw) };
  } catch (e) {
    const at = Math.max(0, locateJsonError(raw));
    const byte = offset + Buffer.byteLength(raw.slice(0, at), 'utf8');
    throw inputError('syntax', `invalid JSON: ${(e as Error).message.slice(0, 200)}`, {
      offset: byte,
      index,
    });
  }
}

/**
 * Index of the first byte that does not begin a well-formed UTF-8 sequence (Unicode 15 §3.9,
 * table 3-7: no overlongs, no surrogates, nothing above U+10FFFF); `bytes.length` if none.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < len; k++) {
      const d = bytes[i + k];
      // The offset reported is that of the sequence's lead byte, whichever byte breaks it.
      if (d === undefined || (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf)) return i;
    }
    i += len;
  }
  return n;
}
