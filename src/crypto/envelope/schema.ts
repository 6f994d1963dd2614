/**
 * Structural check of a parsed envelope (docs/PROTOCOL.md section 5). Hand-written rather than a
 * JSON Schema validator: it runs on every envelope, and it must refuse unknown fields exactly.
 */
import { fromB64u as strictB64u } from '../bytes.js';
import { NODE_ID } from '../identity.js';
import { parseEnvelopeTime } from './time.js';
import type { Envelope, EnvelopeLimits } from './types.js';

export const TYPE_RE = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
export const AGREEMENT_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** What the schema found; `code` is the rejection to raise. */
export type SchemaResult =
  | { ok: true; envelope: Envelope; created: number; expires: number; raw: DecodedEnvelope }
  | {
      ok: false;
      code: 'envelope.malformed' | 'envelope.unsupported_version' | 'envelope.oversized';
      message: string;
    };

export interface DecodedEnvelope {
  senderKey: Uint8Array;
  recipients: { key: Uint8Array; enc: Uint8Array; wrappedKey: Uint8Array }[];
  iv: Uint8Array;
  ct: Uint8Array;
  sig: Uint8Array;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Are the own keys of `o` exactly the comma-separated `keys`? (No sort: count, then membership.) */
const keyLists = new Map<string, string[]>();
function exactKeys(o: Record<string, unknown>, keys: string): boolean {
  let want = keyLists.get(keys);
  if (!want) {
    want = keys.split(',');
    keyLists.set(keys, want);
  }
  if (Object.keys(o).length !== want.length) return false;
  for (const k of want) if (!Object.hasOwn(o, k)) return false;
  return true;
}

/**
 * Strict base64url (RFC 4648 section 5, no padding, canonical encoding). Fixed-length fields are
 * short: ../bytes.ts checks their alphabet and unused bits, then decodes. The ciphertext is
 * payload-sized, and a regular expression over it costs more than node's encoder: it is accepted
 * exactly when re-encoding the decoded bytes gives it back (node emits only the base64url alphabet,
 * no padding and zero unused bits, so any other character, padding, length or unused bits differ).
 */
function fromB64u(s: string, expectedLength?: number): Uint8Array | undefined {
  if (expectedLength !== undefined) {
    // n bytes are ceil(4n / 3) characters; checked first so that no long text meets the pattern.
    return s.length === Math.ceil((expectedLength * 4) / 3) ? strictB64u(s, expectedLength) : undefined;
  }
  const b = Buffer.from(s, 'base64url');
  if (b.toString('base64url') !== s) return undefined;
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

const bad = (message: string): SchemaResult => ({ ok: false, code: 'envelope.malformed', message });

export function checkEnvelope(value: unknown, limits: EnvelopeLimits): SchemaResult {
  if (!isObj(value)) return bad('envelope is not a JSON object');
  // The version is read before anything else so that a newer envelope is named as such.
  if (value.v !== 1) {
    return typeof value.v === 'number'
      ? {
          ok: false,
          code: 'envelope.unsupported_version',
          message: `version ${value.v} is not supported (this node speaks 1)`,
        }
      : bad('v must be the number 1');
  }
  if (!exactKeys(value, 'agreement,created,expires,id,payload,recipients,sender,sig,type,v')) {
    return bad(
      `fields must be exactly agreement, created, expires, id, payload, recipients, sender, sig, type, v; got ${Object.keys(value).sort().join(', ')}`,
    );
  }
  const e = value as unknown as Envelope;
  if (typeof e.id !== 'string' || !fromB64u(e.id, 16)) return bad('id must be 16 bytes in base64url');
  if (typeof e.type !== 'string' || e.type.length > 64 || !TYPE_RE.test(e.type))
    return bad('type must be lower-case dotted words, at most 64 characters');
  if (e.agreement !== null && (typeof e.agreement !== 'string' || !AGREEMENT_RE.test(e.agreement)))
    return bad('agreement must be null or an agreement id');
  const created = parseEnvelopeTime(e.created);
  const expires = parseEnvelopeTime(e.expires);
  if (created === undefined || expires === undefined)
    return bad('created and expires must be RFC 3339 UTC with milliseconds');
  if (expires <= created) return bad('expires must be after created');
  if (!isObj(e.sender) || !exactKeys(e.sender, 'key,node')) return bad('sender must be { node, key }');
  if (typeof e.sender.node !== 'string' || !NODE_ID.test(e.sender.node))
    return bad('sender.node must be a node id');
  const senderKey = typeof e.sender.key === 'string' ? fromB64u(e.sender.key, 32) : undefined;
  if (!senderKey) return bad('sender.key must be 32 bytes in base64url');
  if (!Array.isArray(e.recipients) || e.recipients.length === 0)
    return bad('recipients must be a non-empty array');
  if (e.recipients.length > limits.maxRecipients) {
    return {
      ok: false,
      code: 'envelope.oversized',
      message: `${e.recipients.length} recipients; at most ${limits.maxRecipients}`,
    };
  }
  const recipients: DecodedEnvelope['recipients'] = [];
  const seenKeys = new Set<string>();
  for (const [i, r] of (e.recipients as unknown[]).entries()) {
    if (!isObj(r) || !exactKeys(r, 'enc,key,node,wrapped_key'))
      return bad(`recipients[${i}] must be { node, key, enc, wrapped_key }`);
    if (typeof r.node !== 'string' || !NODE_ID.test(r.node))
      return bad(`recipients[${i}].node must be a node id`);
    const key = typeof r.key === 'string' ? fromB64u(r.key, 32) : undefined;
    const enc = typeof r.enc === 'string' ? fromB64u(r.enc, 32) : undefined;
    const wrappedKey = typeof r.wrapped_key === 'string' ? fromB64u(r.wrapped_key, 48) : undefined;
    if (!key || !enc || !wrappedKey)
      return bad(`recipients[${i}]: key and enc must be 32 bytes, wrapped_key 48, in base64url`);
    if (seenKeys.has(r.key as string)) return bad(`recipients[${i}] repeats a recipient key`);
    seenKeys.add(r.key as string);
    recipients.push({ key, enc, wrappedKey });
  }
  const p = e.payload;
  if (!isObj(p) || !exactKeys(p, 'alg,ct,iv') || p.alg !== 'A256GCM')
    return bad('payload must be { alg: "A256GCM", iv, ct }');
  const iv = typeof p.iv === 'string' ? fromB64u(p.iv, 12) : undefined;
  const ct = typeof p.ct === 'string' ? fromB64u(p.ct) : undefined;
  if (!iv || !ct || ct.length < 16)
    return bad('payload.iv must be 12 bytes and payload.ct at least 16, in base64url');
  const sig = typeof e.sig === 'string' ? fromB64u(e.sig, 64) : undefined;
  if (!sig) return bad('sig must be 64 bytes in base64url');
  return { ok: true, envelope: e, created, expires, raw: { senderKey, recipients, iv, ct, sig } };
}
