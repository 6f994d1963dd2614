/**
 * Hash values in patterns must have the form of their algorithm (the OASIS validator checks this,
 * after STIX 2.1 section 10.10, hashing-algorithm-ov). Keys are compared upper-cased without '-'.
 */
import type { ObjectPath } from './ast.js';

const HEX = (...lengths: number[]) =>
  new RegExp(`^(?:${lengths.map((n) => `[a-fA-F0-9]{${n}}`).join('|')})$`);

const HASH_FORMS = new Map<string, RegExp>([
  ['MD5', HEX(32)],
  ['MD6', HEX(32, 40, 56, 64, 96, 128)],
  ['RIPEMD160', HEX(40)],
  ['SHA1', HEX(40)],
  ['SHA224', HEX(56)],
  ['SHA256', HEX(64)],
  ['SHA384', HEX(96)],
  ['SHA512', HEX(128)],
  ['SHA3224', HEX(56)],
  ['SHA3256', HEX(64)],
  ['SHA3384', HEX(96)],
  ['SHA3512', HEX(128)],
  ['SSDEEP', /^[a-zA-Z0-9/+:.]{1,128}$/],
  ['WHIRLPOOL', HEX(128)],
]);

/**
 * The algorithm name if `path` ends in a known hash under a `hashes` property
 * (`file:hashes.'SHA-256'`, `...alternate_data_streams[0].hashes.MD5`), else null.
 */
export function hashAlgorithm(path: ObjectPath): string | null {
  const steps = path.steps;
  const last = steps[steps.length - 1]!;
  if (last.kind !== 'key' || steps.length < 2) return null;
  let under = false;
  for (let i = 0; i < steps.length - 1; i++) {
    const st = steps[i]!;
    if (st.kind === 'key' && st.key === 'hashes') under = true;
  }
  if (!under) return null;
  const name = last.key.toUpperCase().replaceAll('-', '');
  return HASH_FORMS.has(name) ? last.key : null;
}

/** Whether `value` has the form of hash `algorithm` (a name hashAlgorithm returned). */
export function isHashValue(algorithm: string, value: string): boolean {
  return HASH_FORMS.get(algorithm.toUpperCase().replaceAll('-', ''))!.test(value);
}
