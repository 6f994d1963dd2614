/**
 * Canonical forms of indexed values, applied alike to pattern literals and to looked-up values, so
 * that spellings which denote the same thing meet in the index. The evaluator compares strings
 * exactly (STIX 2.1 section 9.6); the index is deliberately looser for these case-insensitive kinds.
 */
import ipaddr from 'ipaddr.js';
import { parseBlock, v4Text } from './prefix-index.js';

/** Hash algorithm names as STIX writes them (hashing-algorithm-ov, section 10.10), by normal key. */
export const HASH_NAMES: ReadonlyMap<string, string> = new Map([
  ['MD5', 'MD5'],
  ['SHA1', 'SHA-1'],
  ['SHA224', 'SHA-224'],
  ['SHA256', 'SHA-256'],
  ['SHA384', 'SHA-384'],
  ['SHA512', 'SHA-512'],
  ['SHA3224', 'SHA3-224'],
  ['SHA3256', 'SHA3-256'],
  ['SHA3384', 'SHA3-384'],
  ['SHA3512', 'SHA3-512'],
  ['SSDEEP', 'SSDEEP'],
  ['TLSH', 'TLSH'],
  ['RIPEMD160', 'RIPEMD-160'],
  ['WHIRLPOOL', 'WHIRLPOOL'],
]);

/** 'SHA-256', "sha256", 'SHA_256' -> 'SHA256': how STIX keys differ in the wild. */
export const hashKey = (algorithm: string): string => algorithm.toUpperCase().replace(/[-_ ]/g, '');

const HEX = /^[0-9a-fA-F]+$/;

export function normaliseHash(value: string): string {
  return HEX.test(value) ? value.toLowerCase() : value;
}

/** DNS names are case-insensitive (RFC 4343); a trailing dot names the same (absolute) name. */
export function normaliseDomain(value: string): string {
  const v = value.toLowerCase();
  return v.endsWith('.') && v.length > 1 ? v.slice(0, -1) : v;
}

/**
 * WHATWG URL serialisation: scheme and host lower-cased, default port dropped, dot segments
 * resolved, an empty path made '/'. The fragment is dropped: it never reaches the server
 * (RFC 3986 section 3.5), so two URLs that differ only there fetch the same resource.
 */
export function normaliseUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return value.trim();
  }
  u.hash = '';
  return u.href;
}

/** The domain part is case-insensitive; the local part may not be (RFC 5321 section 2.4). */
export function normaliseEmail(value: string): string {
  const at = value.lastIndexOf('@');
  return at < 0 ? value : value.slice(0, at) + value.slice(at).toLowerCase();
}

/** An address or CIDR block in canonical text (RFC 5952 for IPv6); other text unchanged. */
export function normaliseAddress(value: string): string {
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const block = parseBlock(host);
  if (!block) return value;
  const text = value.includes(':') ? ipaddr.IPv6.parse(host).toString() : v4Text(block.addr as number, 32);
  return slash < 0 ? text : `${text}${value.slice(slash)}`;
}

/**
 * The canonical form of `value` under property `property` of SCO type `type` (the property already
 * normalised by `propertyKey`).
 */
export function normaliseValue(type: string, property: string, value: string): string {
  if (property.startsWith('hashes.') || property.includes('.hashes.')) return normaliseHash(value);
  if (property !== 'value') {
    // Windows registry key names are case-insensitive.
    return type === 'windows-registry-key' && property === 'key' ? value.toLowerCase() : value;
  }
  switch (type) {
    case 'domain-name':
      return normaliseDomain(value);
    case 'url':
      return normaliseUrl(value);
    case 'email-addr':
      return normaliseEmail(value);
    case 'ipv4-addr':
    case 'ipv6-addr':
      return normaliseAddress(value);
    default:
      return value;
  }
}
