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

/** One object as the sender has it: the stored JSON text. */
export interface Draft {
  origin: string;
  permissions?: PermissionGrant[];
  json: string;
}

/** Bytes a draft adds to the uncompressed array. */
export const draftBytes = (d: Draft): number =>
  Buffer.byteLength(d.json) +
  d.origin.length +
  32 +
  (d.permissions ? JSON.stringify(d.permissions).length : 0);

export function encodeEntries(drafts: readonly Draft[]): string {
  const parts: string[] = [];
  for (const d of drafts) {
    const perms = d.permissions ? `,"permissions":${JSON.stringify(d.permissions)}` : '';
    parts.push(`{"origin":${JSON.stringify(d.origin)}${perms},"object":${d.json}}`);
  }
  return deflateRawSync(Buffer.from(`[${parts.join(',')}]`, 'utf8'), { level: 1 }).toString('base64');
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

/** The entries of a batch body; refuses a body that inflates past `maxBytes` (a zip bomb). */
export function decodeEntries(data: unknown, maxBytes: number): unknown[] {
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('exchange.bad_batch', 'batch payload: data does not inflate to JSON', { field: 'data' });
  }
  if (!Array.isArray(value))
    throw invalid('exchange.bad_batch', 'batch payload: data must inflate to a list', { field: 'data' });
  return value as BatchEntry[];
}
