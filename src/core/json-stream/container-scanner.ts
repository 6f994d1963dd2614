/**
 * The top level of a STIX input, byte by byte: a bundle (STIX 2.1 §8), a TAXII 2.1 envelope
 * (§3.7) or a bare array. Structure outside the elements is checked here exactly; each element is
 * delimited by a {@link ValueScanner} and decoded once. Feed chunks with `push`, then call `end`.
 * The result is the same however the input is cut into chunks, including one byte at a time.
 */

import { decodeValue } from './decode.js';
import { inputError, showByte } from './errors.js';
import {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_OBJECT_BYTES,
  type ReadStixOptions,
  type StixContainerHeader,
  type StixContainerInfo,
  type StixElement,
} from './types.js';
import { isJsonSpace, ValueScanner } from './value-scanner.js';
import { Wrapper } from './wrapper.js';

// Where the scanner stands between values.
const START = 0;
const ARRAY_FIRST = 1; // after '[': an element or ']'
const ARRAY_ELEMENT = 2; // after ',': an element
const ARRAY_NEXT = 3; // after an element: ',' or ']'
const OBJECT_FIRST = 4; // after '{': a key or '}'
const OBJECT_KEY = 5; // after ',': a key
const OBJECT_COLON = 6;
const OBJECT_VALUE = 7;
const OBJECT_NEXT = 8; // after a property value: ',' or '}'
const VALUE = 9; // inside a key, property value or element
const DONE = 10;

// What the value being scanned is.
const KEY = 0;
const PROPERTY = 1;
const ELEMENT = 2;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Bytes that may start a JSON value that is not an object. */
const startsNonObject = (c: number): boolean =>
  c === 0x5b ||
  c === 0x22 ||
  c === 0x2d ||
  (c >= 0x30 && c <= 0x39) ||
  c === 0x74 ||
  c === 0x66 ||
  c === 0x6e;

export class StixContainerScanner {
  private state = START;
  private purpose = ELEMENT;
  private readonly value: ValueScanner;
  /** Bytes consumed before the current chunk. */
  private bytes = 0;
  private count = 0;
  /** How many bytes of a leading UTF-8 byte order mark were seen (0 to 3). */
  private bom = 0;
  private wrapper = false;
  private key = '';
  private readonly wrapperObject = new Wrapper();
  private failure: unknown;
  /** The wrapper properties written before the objects array; set when it opens. */
  header: StixContainerHeader | undefined;

  constructor(opts: ReadStixOptions = {}) {
    const maxBytes = opts.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
    const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
    if (!(maxBytes >= 2) || !(maxDepth >= 1)) throw new RangeError('maxObjectBytes >= 2 and maxDepth >= 1');
    this.value = new ValueScanner(maxBytes, maxDepth);
  }

  /** Bytes read so far. */
  get bytesRead(): number {
    return this.bytes;
  }

  /** Scans one chunk; returns the elements that ended in it, in order, up to any fault. */
  push(chunk: Uint8Array): StixElement[] {
    if (this.failure !== undefined) throw this.failure;
    const out: StixElement[] = [];
    const n = chunk.length;
    const base = this.bytes;
    try {
      let i = 0;
      if (this.state === VALUE) this.value.next(base);
      for (;;) {
        // A value whose first byte ends the chunk is still scanned, so that its bytes are kept.
        if (this.state === VALUE) {
          const stop = this.value.scan(chunk, i, n);
          if (stop < 0) break;
          this.finish(this.value.bytes(chunk, stop), out);
          i = stop;
          continue;
        }
        if (i >= n) break;
        const c = chunk[i]!;
        if (isJsonSpace(c) && this.bom % 3 === 0) i++;
        else i = this.structural(chunk, i, base);
      }
    } catch (e) {
      // The elements before the fault are still delivered, whatever the chunking; the fault is
      // thrown by the next call (or by `throwIfFailed`).
      this.failure = e;
      if (out.length === 0) throw e;
      return out;
    }
    this.bytes += n;
    return out;
  }

  /** Throws the fault found by the last `push`, if any. */
  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** The input has ended: checks it was complete and returns what the container said. */
  end(): StixContainerInfo {
    if (this.failure !== undefined) throw this.failure;
    const at = { offset: this.bytes };
    let why: string | undefined;
    if (this.state === START) {
      this.failure = inputError('empty', 'the input holds no JSON value', at);
      throw this.failure;
    }
    if (this.state === VALUE) {
      const v = this.value;
      why =
        this.purpose === ELEMENT
          ? `the input ends inside element ${v.index}, which began at byte ${v.offset}`
          : `the input ends inside a wrapper ${this.purpose === KEY ? 'key' : `property "${this.key}"`} that began at byte ${v.offset}`;
    } else if (this.state >= ARRAY_FIRST && this.state <= ARRAY_NEXT) {
      why = `the input ends before the ']' closing the ${this.wrapper ? 'objects ' : ''}array, after ${this.count} elements`;
    } else if (this.state !== DONE) why = "the input ends before the '}' closing the wrapper object";
    if (why !== undefined) {
      this.failure = inputError('truncated', why, at);
      throw this.failure;
    }
    if (this.wrapper) return this.wrapperObject.info(this.count, this.bytes);
    return { form: 'array', count: this.count, bytes: this.bytes, otherProperties: [] };
  }

  /** Handles one significant byte between values; returns the index of the next byte to scan. */
  private structural(chunk: Uint8Array, i: number, base: number): number {
    const c = chunk[i]!;
    const at = { offset: base + i };
    switch (this.state) {
      case START:
        // RFC 8259 §8.1: a parser MAY ignore a byte order mark; some Windows tools write one.
        if (base + i === this.bom && c === UTF8_BOM[this.bom]) {
          this.bom++;
          return i + 1;
        }
        if (this.bom % 3 !== 0) throw inputError('invalid_utf8', 'incomplete byte order mark', at);
        if (c === 0x5b) {
          this.header = { form: 'array' };
          this.state = ARRAY_FIRST;
          return i + 1;
        }
        if (c === 0x7b) {
          this.wrapper = true;
          this.state = OBJECT_FIRST;
          return i + 1;
        }
        if (startsNonObject(c)) {
          throw inputError(
            'not_stix_container',
            'the input is neither a STIX bundle, a TAXII envelope nor an array of objects',
            at,
          );
        }
        return this.unexpected(c, 'a STIX bundle, TAXII envelope or array', at);
      case ARRAY_FIRST:
        if (c === 0x5d) return this.closeArray(i);
        return this.startElement(chunk, i, base);
      case ARRAY_ELEMENT:
        if (c === 0x5d)
          throw inputError('syntax', `a ',' after element ${this.count - 1} is followed by ']'`, at);
        return this.startElement(chunk, i, base);
      case ARRAY_NEXT:
        if (c === 0x2c) {
          this.state = ARRAY_ELEMENT;
          return i + 1;
        }
        if (c === 0x5d) return this.closeArray(i);
        return this.unexpected(c, `',' or ']' after element ${this.count - 1}`, at);
      case OBJECT_FIRST:
      case OBJECT_KEY:
        if (c === 0x22) return this.startValue(chunk, i, base, KEY);
        if (c === 0x7d && this.state === OBJECT_FIRST) return this.closeWrapper(i, base);
        return this.unexpected(c, 'a property name in double quotes', at);
      case OBJECT_COLON:
        if (c !== 0x3a) return this.unexpected(c, `':' after "${this.key}"`, at);
        this.state = OBJECT_VALUE;
        return i + 1;
      case OBJECT_VALUE:
        if (this.key !== 'objects') {
          if (c === 0x7b || startsNonObject(c)) return this.startValue(chunk, i, base, PROPERTY);
          return this.unexpected(c, `the value of "${this.key}"`, at);
        }
        if (c !== 0x5b)
          throw inputError('not_stix_container', 'the wrapper\'s "objects" is not an array', at);
        this.header = this.wrapperObject.objects(at.offset);
        this.state = ARRAY_FIRST;
        return i + 1;
      case OBJECT_NEXT:
        if (c === 0x2c) {
          this.state = OBJECT_KEY;
          return i + 1;
        }
        if (c === 0x7d) return this.closeWrapper(i, base);
        return this.unexpected(c, `',' or '}' after the value of "${this.key}"`, at);
      default:
        throw inputError('trailing_data', `${showByte(c)} after the end of the top-level value`, at);
    }
  }

  private unexpected(c: number, wanted: string, at: { offset: number }): never {
    // Outside strings only ASCII is valid JSON; a byte that cannot start any UTF-8 sequence is
    // reported as bad UTF-8, a well-formed lead byte as a misplaced character.
    if (c >= 0x80 && (c < 0xc2 || c > 0xf4)) throw inputError('invalid_utf8', 'invalid UTF-8 byte', at);
    throw inputError('syntax', `expected ${wanted}, found ${showByte(c)}`, at);
  }

  private startElement(chunk: Uint8Array, i: number, base: number): number {
    const c = chunk[i]!;
    if (c === 0x7b) return this.startValue(chunk, i, base, ELEMENT);
    const at = { offset: base + i, index: this.count };
    if (startsNonObject(c))
      throw inputError('not_an_object', `element ${this.count} is not a JSON object`, at);
    return this.unexpected(c, `element ${this.count}`, at);
  }

  private startValue(chunk: Uint8Array, i: number, base: number, purpose: number): number {
    this.purpose = purpose;
    this.state = VALUE;
    this.value.begin(chunk, i, base, purpose === ELEMENT ? this.count : undefined);
    return i + 1;
  }

  private closeArray(i: number): number {
    this.state = this.wrapper ? OBJECT_NEXT : DONE;
    this.key = 'objects';
    return i + 1;
  }

  private closeWrapper(i: number, base: number): number {
    this.wrapperObject.close(base + i);
    this.state = DONE;
    return i + 1;
  }

  private finish(bytes: Uint8Array, out: StixElement[]): void {
    const v = this.value;
    const { raw, value } = decodeValue(bytes, v.offset, v.index);
    if (this.purpose === ELEMENT) {
      const element = value as Record<string, unknown>;
      if (element.type === 'bundle') {
        // STIX 2.1 §8: a bundle is not a STIX object and cannot be contained in another bundle.
        throw inputError('nested_bundle', `element ${v.index} is a bundle; bundles cannot be nested`, {
          offset: v.offset,
          index: v.index,
        });
      }
      out.push({ index: this.count++, offset: v.offset, raw, value: element });
      this.state = ARRAY_NEXT;
    } else if (this.purpose === KEY) {
      this.key = value as string;
      this.wrapperObject.key(this.key);
      this.state = OBJECT_COLON;
    } else {
      this.wrapperObject.property(this.key, value, v.offset);
      this.state = OBJECT_NEXT;
    }
  }
}
