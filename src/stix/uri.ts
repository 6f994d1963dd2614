/**
 * The `uri` format of ajv-formats (RFC 3986 URI: its full regular expression) with a fast path
 * for the common shape `http(s)://host/path?query#fragment`. The full expression is the
 * validator's costliest single test on reference-heavy content (every external reference has a
 * url), and almost every url is of that shape. The fast path only ever accepts: what it accepts
 * the full expression accepts too (its classes are those of the expression's reg-name host,
 * path, query and fragment parts); anything else (ports, user info, IP literals, other schemes,
 * upper-case schemes, any other character) is decided by the full expression.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';

const fullUri = fullFormats.uri as (s: string) => boolean;

/**
 * Bit 1: reg-name character (unreserved and sub-delims); bit 2: path character (also `:` `@`);
 * bit 4: query and fragment character (also `/` `?`); bit 8: hex digit.
 */
const CLS = new Uint8Array(128);
const mark = (chars: string, bits: number) => {
  for (const ch of chars) CLS[ch.charCodeAt(0)] = (CLS[ch.charCodeAt(0)] as number) | bits;
};
mark("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=", 1 | 2 | 4);
mark(':@', 2 | 4);
mark('/?', 4);
mark('0123456789abcdefABCDEF', 8);
const has = (c: number, bit: number): boolean => c < 128 && ((CLS[c] as number) & bit) !== 0;

/** Scans characters of class `bit` or `%XX` from `i`; returns where the run ends, -1 on a bad `%`. */
function run(s: string, i: number, bit: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      if (!has(s.charCodeAt(i + 1), 8) || !has(s.charCodeAt(i + 2), 8)) return -1;
      i += 3;
    } else if (has(c, bit)) i++;
    else break;
  }
  return i;
}

/** True only for `http(s)://` URIs the full expression accepts; false means "not decided". */
export function isPlainHttpUri(s: string): boolean {
  let i: number;
  if (s.startsWith('https://')) i = 8;
  else if (s.startsWith('http://')) i = 7;
  else return false;
  i = run(s, i, 1);
  while (i >= 0 && s.charCodeAt(i) === 47 /* / */) i = run(s, i + 1, 2);
  if (i >= 0 && s.charCodeAt(i) === 63 /* ? */) i = run(s, i + 1, 4);
  if (i >= 0 && s.charCodeAt(i) === 35 /* # */) i = run(s, i + 1, 4);
  return i === s.length;
}

/** The ajv-formats `uri` verdict. */
export const isUri = (s: string): boolean => isPlainHttpUri(s) || fullUri(s);
