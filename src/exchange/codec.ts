/**
 * The body of a batch: its entries as one JSON array, compressed (raw DEFLATE, level 1) and carried
 * as base64 in the envelope payload. Every stage of an envelope (RFC 8785 encoding of the payload,
 * AES-GCM, base64url, the signature's hash, the receiver's canonical check, the HTTP body) costs
 * per byte; STIX text shrinks about four times, so compressing costs less than it saves.
 *
 * The sender embeds each object's stored JSON text as is (it was valid when stored): no parse and
 * re-serialisation on the way out. The receiver gets values and validates them before storing.
 *
 * Compression inside an encrypted envelope can leak through sizes when an attacker both injects
 * content into a batch and observes its size (CRIME); docs/EXCHANGE.md discusses why that is
 * accepted here.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { invalid } from '../core/index.js';
import type { PermissionGrant } from './policy/index.js';
import type { BatchEntry } from './types.js';

export const BATCH_ENCODING = 'deflate-raw+base64';

/** One object as the sender has it: the stored JSON text (and the parsed value, when at hand). */
export interface Draft {
  origin: string;
  permissions?: PermissionGrant[];
  json: string;
  /** Not sent: the value the sender already parsed, kept for batchObjectsOf. */
  object?: Record<string, unknown>;
}

/**
 * The objects of a batch payload this process built or opened, by payload object: what the ledger
 * evidence records about a batch (types, labels, versions) is read from here instead of inflating and
 * parsing the whole batch a second time. Weak: an entry lives as long as its payload.
 */
const batchObjects = new WeakMap<object, readonly Record<string, unknown>[]>();

export function rememberBatchObjects(payload: object, objects: readonly Record<string, unknown>[]): void {
  batchObjects.set(payload, objects);
}

/** The objects of a batch payload built or opened here, or undefined (then decode it). */
export const batchObjectsOf = (payload: unknown): readonly Record<string, unknown>[] | undefined =>
  typeof payload === 'object' && payload !== null ? batchObjects.get(payload) : undefined;

/** Bytes a draft adds to the uncompressed array. */
export const draftBytes = (d: Draft): number =>
  Buffer.byteLength(d.json) +
  d.origin.length +
  32 +
  (d.permissions ? JSON.stringify(d.permissions).length : 0);

/**
 * One entry per line, the object first: `[\n{"object":OBJ,"origin":"a"},\n...\n]`. Still one JSON
 * array for any reader; a receiver that finds this layout takes each object's text as sent instead
 * of serialising the parsed value again (splitLines). A stored text with a raw line break (it was
 * pretty-printed) is serialised compactly first.
 */
export function encodeEntries(drafts: readonly Draft[]): string {
  const parts: string[] = [];
  for (const d of drafts) {
    const json = d.json.includes('\n') ? JSON.stringify(JSON.parse(d.json)) : d.json;
    const perms = d.permissions ? `,"permissions":${JSON.stringify(d.permissions)}` : '';
    parts.push(`{"object":${json},"origin":${JSON.stringify(d.origin)}${perms}}`);
  }
  const body = parts.length === 0 ? '[]' : `[\n${parts.join(',\n')}\n]`;
  return deflateRawSync(Buffer.from(body, 'utf8'), { level: 1 }).toString('base64');
}

/**
 * Base64 decoded strictly without a regular expression over the text: Node's decoder skips
 * characters outside the alphabet, so a text holding any yields fewer bytes than its length promises.
 */
function fromBase64(data: string): Buffer | undefined {
  // The decoder also takes the URL-safe letters; the wire form is standard base64.
  if (data.length % 4 !== 0 || data.includes('-') || data.includes('_')) return undefined;
  const pad = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const buf = Buffer.from(data, 'base64');
  return buf.length === (data.length / 4) * 3 - pad ? buf : undefined;
}

/** A batch body's entries, and where the line layout was found, each object's text as sent. */
export interface Decoded {
  entries: unknown[];
  /** texts[i] is the JSON text of entries[i].object exactly as sent; absent for another layout. */
  texts?: string[];
}

/** The entries of a batch body; refuses a body that inflates past `maxBytes` (a zip bomb). */
export function decodeEntries(data: unknown, maxBytes: number): unknown[] {
  return decodeBatch(data, maxBytes).entries;
}

export function decodeBatch(data: unknown, maxBytes: number): Decoded {
  const raw = typeof data === 'string' ? fromBase64(data) : undefined;
  if (!raw) throw invalid('exchange.bad_batch', 'batch payload: data must be base64', { field: 'data' });
  let text: string;
  try {
    text = inflateRawSync(raw, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (e) {
    const big = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw invalid(
      'exchange.bad_batch',
      big ? `batch payload: data inflates past ${maxBytes} bytes` : 'batch payload: data is not raw DEFLATE',
      { field: 'data' },
    );
  }
  const lines = splitLines(text);
  if (lines) return lines;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('exchange.bad_batch', 'batch payload: data does not inflate to JSON', { field: 'data' });
  }
  if (!Array.isArray(value))
    throw invalid('exchange.bad_batch', 'batch payload: data must inflate to a list', { field: 'data' });
  return { entries: value as BatchEntry[] };
}

const HEAD = '{"object":';
const TAIL = ',"origin":';

/**
 * The line layout of encodeEntries, read line by line: each line is `{"object":` + X + `,"origin":`
 * ... `}`, where X must parse alone as one JSON object and the rest as an object holding only origin
 * and permissions; then the whole text is the JSON array of exactly these entries, and X is the
 * object's text. Anything else: undefined, and the caller parses the text as a whole.
 */
function splitLines(text: string): Decoded | undefined {
  if (!text.startsWith('[\n') || !text.endsWith('\n]')) return undefined;
  const lines = text.slice(2, -2).split('\n');
  const entries: BatchEntry[] = [];
  const texts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (i < lines.length - 1) {
      if (!line.endsWith(',')) return undefined;
      line = line.slice(0, -1);
    }
    const k = line.lastIndexOf(TAIL);
    if (!line.startsWith(HEAD) || k < HEAD.length || !line.endsWith('}')) return undefined;
    const objText = line.slice(HEAD.length, k);
    let object: unknown;
    let rest: unknown;
    try {
      object = JSON.parse(objText);
      rest = JSON.parse(`{${line.slice(k + 1)}`);
    } catch {
      return undefined;
    }
    if (!object || typeof object !== 'object' || Array.isArray(object)) return undefined;
    const r = rest as Record<string, unknown>;
    for (const key of Object.keys(r)) if (key !== 'origin' && key !== 'permissions') return undefined;
    entries.push({
      origin: r.origin as string,
      ...(r.permissions !== undefined ? { permissions: r.permissions as PermissionGrant[] } : {}),
      object: object as Record<string, unknown>,
    });
    texts.push(objText);
  }
  return { entries, texts };
}
