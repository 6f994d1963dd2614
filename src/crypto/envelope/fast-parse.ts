/**
 * The receiver's fast path for steps 2-4 of docs/PROTOCOL.md section 7 (parse, canonical form,
 * schema), and the signed parts cut from the wire bytes. It answers only "this envelope is well
 * formed and canonical" or "ask the general path": any envelope it does not accept goes through
 * parseCanonical + checkEnvelope as before, so every rejection keeps its code and its order.
 *
 * Why it is exact: once checkEnvelope accepts a value, every string in it is from a quote-free,
 * escape-free alphabet (base64url, node ids, dotted types, agreement ids, RFC 3339 times) and its
 * members are exactly the known ones, so its RFC 8785 text (section 3.2: keys sorted by UTF-16
 * code units, no whitespace, `1` for v) is a fixed template with the strings put in. The fast path
 * reads the wire text against that template instead of calling JSON.parse: fixed pieces must match
 * exactly, each string runs to the next quote, and the strings read are then checked by
 * checkEnvelope. If both hold, the text is that template filled with strings that need no escape,
 * which is valid JSON whose value is the one read (so JSON.parse would give the same) and its own
 * canonical form. A duplicated key, other whitespace, member order, number or escape spelling makes
 * a piece differ; a string holding an escape fails its alphabet. Reading in place also gives the
 * member offsets, from which the signing input and the payload AAD are cut without serialising.
 */
import { isAscii } from 'node:buffer';
import { checkEnvelope, type DecodedEnvelope } from './schema.js';
import { ENVELOPE_CONTEXT, type Envelope, type EnvelopeLimits, type EnvelopeRecipient } from './types.js';

const PREFIX = Buffer.from(`${ENVELOPE_CONTEXT}\n`, 'latin1');

export interface FastParsed {
  envelope: Envelope;
  created: number;
  expires: number;
  raw: DecodedEnvelope;
  signingInput: Uint8Array;
  payloadAad: Uint8Array;
}

/**
 * A cursor over the wire text. Fixed pieces are compared as slices with ===, which V8 does with
 * memcmp (startsWith walks the characters). String values are sliced from the text: the returned
 * envelope holds its ciphertext, most of the text, so its other members holding the text too costs
 * nothing more. The id alone is copied out of the bytes (`str(true)`): a V8 slice keeps its whole
 * parent alive, and an id held by a replay guard for the envelope's lifetime must not hold on to
 * the envelope.
 */
class Reader {
  at = 0;
  ok = true;
  constructor(
    readonly text: string,
    readonly bytes: Buffer,
  ) {}

  /** Consumes `piece` if the text has it here. */
  lit(piece: string): boolean {
    if (this.ok && this.text.slice(this.at, this.at + piece.length) === piece) {
      this.at += piece.length;
      return true;
    }
    this.ok = false;
    return false;
  }

  /** Consumes `piece` if the text has it here; its absence is not a failure. */
  opt(piece: string): boolean {
    if (this.ok && this.text.slice(this.at, this.at + piece.length) === piece) {
      this.at += piece.length;
      return true;
    }
    return false;
  }

  /** The characters up to the next quote, consuming the quote; '' once anything failed. */
  str(copy = false): string {
    const end = this.ok ? this.text.indexOf('"', this.at) : -1;
    if (end < 0) {
      this.ok = false;
      return '';
    }
    const s = copy ? this.bytes.toString('latin1', this.at, end) : this.text.slice(this.at, end);
    this.at = end + 1;
    return s;
  }
}

/** Reads the text as the canonical envelope template; undefined if it is not one. */
function read(r: Reader): { value: Envelope; a: number; b: number; c: number; d: number } | undefined {
  r.lit('{"agreement":');
  let agreement: string | null = null;
  if (!r.opt('null')) {
    r.lit('"');
    agreement = r.str();
  }
  r.lit(',"created":"');
  const created = r.str();
  r.lit(',"expires":"');
  const expires = r.str();
  r.lit(',"id":"');
  const id = r.str(true);
  r.lit(',');
  const a = r.at; // the payload member and its comma: a..b
  r.lit('"payload":{"alg":"A256GCM","ct":"');
  const ct = r.str();
  r.lit(',"iv":"');
  const iv = r.str();
  r.lit('},');
  const b = r.at;
  r.lit('"recipients":[');
  const recipients: EnvelopeRecipient[] = [];
  do {
    r.lit('{"enc":"');
    const enc = r.str();
    r.lit(',"key":"');
    const key = r.str();
    r.lit(',"node":"');
    const node = r.str();
    r.lit(',"wrapped_key":"');
    const wrapped_key = r.str();
    r.lit('}');
    recipients.push({ enc, key, node, wrapped_key });
  } while (r.opt(','));
  r.lit('],"sender":{"key":"');
  const senderKey = r.str();
  r.lit(',"node":"');
  const senderNode = r.str();
  r.lit('}');
  const c = r.at; // the sig member and its comma: c..d
  r.lit(',"sig":"');
  const sig = r.str();
  const d = r.at;
  r.lit(',"type":"');
  const type = r.str();
  r.lit(',"v":1}');
  if (!r.ok || r.at !== r.text.length) return undefined;
  // Members in the order JSON.parse of canonical text would give them.
  const value: Envelope = {
    agreement,
    created,
    expires,
    id,
    payload: { alg: 'A256GCM', ct, iv },
    recipients,
    sender: { key: senderKey, node: senderNode },
    sig,
    type,
    v: 1,
  };
  return { value, a, b, c, d };
}

/** A well-formed canonical envelope with its signed parts, or undefined: then use the general path. */
export function parseEnvelopeFast(bytes: Uint8Array, limits: EnvelopeLimits): FastParsed | undefined {
  // ASCII only: then UTF-8 and Latin-1 decode alike, and char offsets are byte offsets.
  if (!isAscii(bytes)) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buf.toString('latin1');
  const found = read(new Reader(text, buf));
  if (!found) return undefined;
  const s = checkEnvelope(found.value, limits);
  if (!s.ok) return undefined;
  const { a, b, c, d } = found;
  const tail = text.length - d;
  // Signing input: prefix || text without the sig member; AAD: that text without the payload
  // member. One allocation holds both.
  const sigLen = PREFIX.length + c + tail;
  const out = Buffer.allocUnsafe(sigLen + a + (c - b) + tail);
  out.set(PREFIX, 0);
  out.set(buf.subarray(0, c), PREFIX.length);
  out.set(buf.subarray(d), PREFIX.length + c);
  out.set(buf.subarray(0, a), sigLen);
  out.set(buf.subarray(b, c), sigLen + a);
  out.set(buf.subarray(d), sigLen + a + c - b);
  const signingInput = out.subarray(0, sigLen);
  const payloadAad = out.subarray(sigLen);
  return {
    envelope: s.envelope,
    created: s.created,
    expires: s.expires,
    raw: s.raw,
    signingInput,
    payloadAad,
  };
}
