/**
 * `next` (TAXII 2.1 section 3.4.3) is opaque to clients. Here it carries the date_added of the last
 * row served (a keyset cursor: exact because date_added is unique per collection) and the digest of
 * the query it belongs to; a `next` sent with other filters is refused with 400 rather than silently
 * answering a different question. Tokens never expire: the cursor stays meaningful forever.
 */
import { taxiiError } from './errors.js';

export function encodeNext(cursorUs: bigint, key: string): string {
  return Buffer.from(`1.${cursorUs.toString(36)}.${key}`, 'utf8').toString('base64url');
}

export function decodeNext(token: string, key: string): bigint {
  const parts = Buffer.from(token, 'base64url').toString('utf8').split('.');
  if (parts.length !== 3 || parts[0] !== '1' || !/^[0-9a-z]+$/.test(parts[1] as string)) {
    throw taxiiError('taxii.bad_next', 400, 'next is not a token this server issued', { field: 'next' });
  }
  if (parts[2] !== key) {
    throw taxiiError(
      'taxii.next_mismatch',
      400,
      'next belongs to a different query: repeat the filters of the request that returned it',
      { field: 'next' },
    );
  }
  let us = 0n;
  for (const ch of parts[1] as string) us = us * 36n + BigInt(Number.parseInt(ch, 36));
  return us;
}
