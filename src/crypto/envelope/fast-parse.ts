/**
 * The receiver's fast path for steps 2-4 of docs/PROTOCOL.md section 7 (parse, canonical form,
 * schema), and the signed parts cut from the wire bytes. It answers only "this envelope is well
 * formed and canonical" or "ask the general path": any envelope it does not accept goes through
 * parseCanonical + checkEnvelope as before, so every rejection keeps its code and its order.
 *
 * Why it is exact: once checkEnvelope accepts a value, every string in it is from a quote-free,
 * escape-free alphabet (base64url, node ids, dotted types, agreement ids, RFC 3339 times) and its
 * members are exactly the known ones, so its RFC 8785 text (section 3.2: keys sorted by UTF-16
 * code units, no whitespace, `1` for v) is the fixed template below. Wire text equal to the template
 * is therefore canonical, and the member offsets give the signing input and the payload AAD without
 * serialising again. A duplicated key, other whitespace or number spelling makes the text differ.
 */
import { isAscii } from 'node:buffer';
import { checkEnvelope, type DecodedEnvelope } from './schema.js';
import { ENVELOPE_CONTEXT, type Envelope, type EnvelopeLimits } from './types.js';

const PREFIX = Buffer.from(`${ENVELOPE_CONTEXT}\n`, 'latin1');

export interface FastParsed {
  envelope: Envelope;
  created: number;
  expires: number;
  raw: DecodedEnvelope;
  signingInput: Uint8Array;
  payloadAad: Uint8Array;
}

/** A well-formed canonical envelope with its signed parts, or undefined: then use the general path. */
export function parseEnvelopeFast(bytes: Uint8Array, limits: EnvelopeLimits): FastParsed | undefined {
  // ASCII only: then UTF-8 and Latin-1 decode alike, and char offsets are byte offsets.
  if (!isAscii(bytes)) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const s = checkEnvelope(value, limits);
  if (!s.ok) return undefined;
  const e = s.envelope;
  // The canonical text is head + payload + middle + sig + tail (members in RFC 8785 order).
  const head = `{"agreement":${e.agreement === null ? 'null' : `"${e.agreement}"`},"created":"${e.created}","expires":"${e.expires}","id":"${e.id}",`;
  const payload = `"payload":{"alg":"A256GCM","ct":"${e.payload.ct}","iv":"${e.payload.iv}"},`;
  let middle = '"recipients":[';
  for (let i = 0; i < e.recipients.length; i++) {
    const r = e.recipients[i]!;
    middle += `${i ? ',' : ''}{"enc":"${r.enc}","key":"${r.key}","node":"${r.node}","wrapped_key":"${r.wrapped_key}"}`;
  }
  middle += `],"sender":{"key":"${e.sender.key}","node":"${e.sender.node}"}`;
  const sig = `,"sig":"${e.sig}"`;
  const tail = `,"type":"${e.type}","v":1}`;
  const a = head.length;
  const b = a + payload.length;
  const c = b + middle.length;
  const d = c + sig.length;
  if (
    text.length !== d + tail.length ||
    !text.startsWith(head, 0) ||
    !text.startsWith(payload, a) ||
    !text.startsWith(middle, b) ||
    !text.startsWith(sig, c) ||
    !text.startsWith(tail, d)
  ) {
    return undefined;
  }
  // Signing input: prefix || text without the sig member; AAD: that text without the payload member.
  const signingInput = Buffer.allocUnsafe(PREFIX.length + c + tail.length);
  PREFIX.copy(signingInput, 0);
  buf.copy(signingInput, PREFIX.length, 0, c);
  buf.copy(signingInput, PREFIX.length + c, d);
  const payloadAad = Buffer.allocUnsafe(a + (c - b) + tail.length);
  buf.copy(payloadAad, 0, 0, a);
  buf.copy(payloadAad, a, b, c);
  buf.copy(payloadAad, a + c - b, d);
  return { envelope: e, created: s.created, expires: s.expires, raw: s.raw, signingInput, payloadAad };
}
