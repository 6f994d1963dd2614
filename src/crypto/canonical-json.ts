/**
 * Canonical JSON: the JSON Canonicalization Scheme of RFC 8785 (sorted keys by UTF-16 code units,
 * ECMAScript number serialisation, minimal string escaping, no whitespace), as the `canonicalize`
 * package computes it.
 * Signatures in parley are always over these bytes, so any implementation that follows RFC 8785
 * reproduces them.
 */
import canonicalize from 'canonicalize';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * String.prototype.isWellFormed (ES2024; Node 20 has it, the ES2023 lib typing does not): the
 * lone-surrogate test in native code, where `canonicalize` walks every string in a JS loop.
 */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * The `canonicalize` package's algorithm (v4) step for step, with its errors and its treatment of
 * toJSON, cycles, undefined and symbols, but the lone-surrogate check done by isWellFormed. A
 * property test holds it to the package's output and errors; the package stays the reference.
 */
function write(value: unknown, seen: Set<object>): string | undefined {
  if (typeof value === 'string') {
    if (!wellFormed(value)) throw new Error('Lone surrogate is not allowed');
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new Error('NaN is not allowed');
    if (!Number.isFinite(value)) throw new Error('Infinity is not allowed');
    return JSON.stringify(value);
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (seen.has(value)) throw new Error('Circular reference detected');
  const o = value as Record<string, unknown> & { toJSON?: unknown };
  if (typeof o.toJSON === 'function') {
    seen.add(value);
    const result = write((o.toJSON as () => unknown)(), seen);
    seen.delete(value);
    return result;
  }
  seen.add(value);
  let result: string;
  if (Array.isArray(value)) {
    // map, as the package: holes stay holes and join as empty.
    const items = value.map((v) => write(v === undefined || typeof v === 'symbol' ? null : v, seen));
    result = `[${items.join(',')}]`;
  } else {
    let out = '';
    for (const key of Object.keys(o).sort()) {
      const v = o[key];
      if (v === undefined || typeof v === 'symbol') continue;
      if (out !== '') out += ',';
      out += `${write(key, seen)}:${write(v, seen)}`;
    }
    result = `{${out}}`;
  }
  seen.delete(value);
  return result;
}

/** RFC 8785 text of a JSON value. Throws on NaN, Infinity and lone surrogates (section 3.2.2). */
export function canonicalJson(value: unknown): string {
  const s = write(value, new Set());
  if (s === undefined) throw new TypeError('value has no JSON form');
  return s;
}

/** The `canonicalize` package itself: the reference canonicalJson is tested against. */
export const canonicalJsonReference = (value: unknown): string | undefined => canonicalize(value);

export const canonicalBytes = (value: unknown): Uint8Array => Buffer.from(canonicalJson(value), 'utf8');

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Object keys in RFC 8785 order at every level? (JS's default sort compares UTF-16 code units.) */
function keysSorted(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) return v.every(keysSorted);
  const keys = Object.keys(v);
  for (let i = 1; i < keys.length; i++) if ((keys[i - 1] as string) >= (keys[i] as string)) return false;
  return keys.every((k) => keysSorted((v as Record<string, unknown>)[k]));
}

/**
 * Is `text` (already parsed to `value`) the RFC 8785 form of `value`? The fast path: JSON.stringify
 * serialises numbers (ECMAScript Number::toString) and escapes strings exactly as RFC 8785 section
 * 3.2.2 asks, and keeps the parsed key order, so equal text plus sorted keys is canonical. Whatever
 * the fast path does not accept (integer-like keys, which JS objects reorder; escaped surrogates,
 * which RFC 8785 refuses when lone) is decided by the full canonicaliser.
 */
function isCanonicalText(text: string, value: unknown): boolean {
  if (!/\\u[dD][89a-fA-F]/.test(text) && JSON.stringify(value) === text && keysSorted(value)) return true;
  try {
    return canonicalJson(value) === text;
  } catch {
    return false;
  }
}

/**
 * Parses bytes that must already be in canonical form. Returns the value, or a reason: `utf8`
 * (not UTF-8), `json` (not JSON), `not_canonical` (valid JSON whose RFC 8785 form differs: other
 * whitespace, key order, number or escape spelling, or a duplicated key).
 */
export function parseCanonical(
  bytes: Uint8Array,
): { ok: true; value: unknown; text: string } | { ok: false; reason: 'utf8' | 'json' | 'not_canonical' } {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'utf8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'json' };
  }
  return isCanonicalText(text, value) ? { ok: true, value, text } : { ok: false, reason: 'not_canonical' };
}

/** An envelope payload holding a JSON value: its RFC 8785 bytes. */
export const encodeJsonPayload = (value: unknown): Uint8Array => canonicalBytes(value);

/** The JSON value of a payload made by encodeJsonPayload; throws on bytes that are not UTF-8 JSON. */
export const decodeJsonPayload = (payload: Uint8Array): unknown => JSON.parse(strictUtf8.decode(payload));
