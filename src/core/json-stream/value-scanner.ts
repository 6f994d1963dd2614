/**
 * Finds where one JSON value ends in a stream of byte chunks, without decoding it: a small state
 * machine over bytes (in string / after backslash / bracket stack). It buffers only the bytes of the
 * value in progress. Full syntax is left to JSON.parse once the value is whole; what this scanner
 * checks itself (bracket matching, nesting depth, size) it reports at the exact byte, so the error
 * is the same however the input is cut into chunks.
 */
import { inputError, showByte } from './errors.js';

// JSON structural bytes (RFC 8259 §2). `}` - `{` === `]` - `[` === 2, used to match pairs.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** RFC 8259 §2 insignificant whitespace. */
export const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** A byte that ends a bare number or literal (`true`, `false`, `null`). */
const endsScalar = (c: number): boolean =>
  isJsonSpace(c) || c === 0x2c || c === CLOSE_BRACE || c === CLOSE_BRACKET;

export class ValueScanner {
  private readonly stack: Uint8Array;
  private depth = 0;
  private inString = false;
  private escape = false;
  private scalar = false;
  /** Bytes of the value carried over from earlier chunks. */
  private carry: Uint8Array = new Uint8Array(0);
  private carried = 0;
  /** Where the value starts in the current chunk (0 once it spans chunks). */
  private chunkStart = 0;
  /** Absolute offset of the value's first byte, and its element index (for messages). */
  offset = 0;
  index: number | undefined;
  /** Offset of the current chunk's first byte. */
  private base = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxDepth: number,
  ) {
    this.stack = new Uint8Array(maxDepth);
  }

  /** Starts a value whose first byte is `chunk[at]`; `base` is the chunk's offset in the input. */
  begin(chunk: Uint8Array, at: number, base: number, index: number | undefined): void {
    const c = chunk[at]!;
    this.base = base;
    this.offset = base + at;
    this.index = index;
    this.chunkStart = at;
    this.carried = 0;
    // After an unusually large element, give its buffer back rather than keep it for the run.
    if (this.carry.length > 4 * 1024 * 1024) this.carry = new Uint8Array(0);
    this.escape = false;
    this.scalar = false;
    this.inString = false;
    this.depth = 0;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.stack[0] = c;
      this.depth = 1;
    } else if (c === QUOTE) this.inString = true;
    else this.scalar = true;
  }

  /** A new chunk continues the value. */
  next(base: number): void {
    this.base = base;
    this.chunkStart = 0;
  }

  /**
   * Scans `chunk[from..end)`, where `from` is just past the bytes already scanned. Returns the index
   * just past the value's last byte, or -1 when the value goes on past `end` (its bytes are kept).
   */
  scan(chunk: Uint8Array, from: number, end: number): number {
    // The byte at `limitAt` would be the (maxBytes+1)th byte of the value: stop the loop there.
    const limitAt = this.chunkStart + this.maxBytes - this.carried;
    // A bare scalar ends at the delimiter after it, which may sit at `limitAt` itself.
    const stop = Math.min(this.scalar ? limitAt + 1 : limitAt, end);
    const r = this.scalar ? this.scanScalar(chunk, from, stop) : this.scanNested(chunk, from, stop);
    if (r >= 0) return r;
    if (stop < end || stop > limitAt) {
      throw inputError(
        'object_too_large',
        `value larger than the limit of ${this.maxBytes} bytes (it began at byte ${this.offset})`,
        { offset: this.base + limitAt, index: this.index },
      );
    }
    this.keep(chunk, this.chunkStart, end);
    return -1;
  }

  /** The value's bytes, once `scan` returned `stop`. Valid until the next `begin`. */
  bytes(chunk: Uint8Array, stop: number): Uint8Array {
    if (this.carried === 0) return chunk.subarray(this.chunkStart, stop);
    this.keep(chunk, 0, stop);
    return this.carry.subarray(0, this.carried);
  }

  /** Why the value is unfinished, for a truncation message. */
  get openDepth(): number {
    return this.depth;
  }

  private keep(chunk: Uint8Array, from: number, to: number): void {
    const need = this.carried + (to - from);
    if (need > this.carry.length) {
      let size = Math.max(64 * 1024, this.carry.length * 2);
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, Math.max(need, this.maxBytes)));
      grown.set(this.carry.subarray(0, this.carried));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(from, to), this.carried);
    this.carried = need;
  }

  /** Strings and nested arrays/objects: the hot loop, over bytes, no allocation. */
  private scanNested(chunk: Uint8Array, from: number, stop: number): number {
    const stack = this.stack;
    const maxDepth = this.maxDepth;
    let depth = this.depth;
    let inString = this.inString;
    let i = from;
    if (this.escape && i < stop) {
      this.escape = false;
      i++; // the byte after a backslash cannot end a string
    }
    while (i < stop) {
      if (inString) {
        while (i < stop) {
          const c = chunk[i++]!;
          if (c === QUOTE) {
            inString = false;
            break;
          }
          if (c === BACKSLASH) {
            if (i < stop) i++;
            else this.escape = true;
          }
        }
        if (!inString && depth === 0) return this.done(i);
        continue;
      }
      const c = chunk[i++]!;
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth === maxDepth) {
          throw inputError('too_deep', `nesting deeper than ${maxDepth} levels`, {
            offset: this.base + i - 1,
            index: this.index,
          });
        }
        stack[depth++] = c;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        const open = stack[--depth]!;
        if (open !== c - 2) {
          throw inputError('syntax', `${showByte(c)} closes ${showByte(open)}: brackets do not match`, {
            offset: this.base + i - 1,
            index: this.index,
          });
        }
        if (depth === 0) return this.done(i);
      }
    }
    this.depth = depth;
    this.inString = inString;
    return -1;
  }

  private done(i: number): number {
    this.depth = 0;
    this.inString = false;
    return i;
  }

  /** A bare number or literal ends just before the first delimiter (which is not part of it). */
  private scanScalar(chunk: Uint8Array, from: number, stop: number): number {
    for (let i = from; i < stop; i++) if (endsScalar(chunk[i]!)) return i;
    return -1;
  }
}
