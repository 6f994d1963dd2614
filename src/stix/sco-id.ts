/**
 * Deterministic SCO identifiers, STIX 2.1 section 2.9: the UUID part of an SCO id SHOULD be a
 * UUIDv5 in the namespace 00abedb4-aa42-466c-9c01-fed23315a9b7, named by the RFC 8785 (JCS)
 * serialisation of the object's ID-contributing properties (listed per type in section 6). When
 * none of them is present, a UUIDv4 is used instead. Of `hashes`, one hash is used, chosen in the
 * order MD5, SHA-1, SHA-256, SHA-512, else the first present (section 6.7, `hashes` note).
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const SCO_ID_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/** ID-contributing properties of each SCO type; an empty list means UUIDv4 (process). */
export const ID_CONTRIBUTING_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  artifact: ['hashes', 'payload_bin'],
  'autonomous-system': ['number'],
  directory: ['path'],
  'domain-name': ['value'],
  'email-addr': ['value'],
  'email-message': ['from_ref', 'subject', 'body'],
  file: ['hashes', 'name', 'extensions', 'parent_directory_ref'],
  'ipv4-addr': ['value'],
  'ipv6-addr': ['value'],
  'mac-addr': ['value'],
  mutex: ['name'],
  'network-traffic': [
    'start',
    'end',
    'src_ref',
    'dst_ref',
    'src_port',
    'dst_port',
    'protocols',
    'extensions',
  ],
  process: [],
  software: ['name', 'cpe', 'swid', 'vendor', 'version'],
  url: ['value'],
  'user-account': ['account_type', 'user_id', 'account_login'],
  'windows-registry-key': ['key', 'values'],
  'x509-certificate': ['hashes', 'serial_number'],
};

const NAMESPACE_BYTES = Buffer.from(SCO_ID_NAMESPACE.replaceAll('-', ''), 'hex');
const HASH_PREFERENCE = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512'];

/** RFC 4122 section 4.3 name-based UUID with SHA-1. */
export function uuidv5(name: string, namespace: Buffer = NAMESPACE_BYTES): string {
  const h = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function chooseOneHash(hashes: unknown): Record<string, unknown> | undefined {
  if (!hashes || typeof hashes !== 'object') return undefined;
  const h = hashes as Record<string, unknown>;
  for (const alg of HASH_PREFERENCE) if (alg in h) return { [alg]: h[alg] };
  const first = Object.keys(h)[0];
  return first === undefined ? undefined : { [first]: h[first] };
}

/**
 * The deterministic id an SCO should carry, e.g. `ipv4-addr--ff26c055-...` for
 * `{type:'ipv4-addr', value:'198.51.100.3'}`; undefined for types without contributing properties,
 * custom types, or when none of the contributing properties is present.
 */
export function deterministicScoId(obj: Record<string, unknown>): string | undefined {
  const type = obj.type;
  if (typeof type !== 'string') return undefined;
  const props = ID_CONTRIBUTING_PROPERTIES[type];
  if (!props || props.length === 0) return undefined;
  const picked: Record<string, unknown> = {};
  let any = false;
  for (const p of props) {
    const v = obj[p];
    if (v === undefined) continue;
    const value = p === 'hashes' ? chooseOneHash(v) : v;
    if (value === undefined) continue;
    picked[p] = value;
    any = true;
  }
  if (!any) return undefined;
  const text = canonicalize(picked);
  return text === undefined ? undefined : `${type}--${uuidv5(text)}`;
}

/** The version nibble of an identifier's UUID (`4`, `5`...), or undefined if malformed. */
export function uuidVersionOf(id: string): number | undefined {
  const i = id.lastIndexOf('--');
  const c = id.charCodeAt(i + 2 + 14);
  return c >= 48 && c <= 57 ? c - 48 : undefined;
}
