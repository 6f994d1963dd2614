/**
 * LIKE and MATCHES (STIX 2.1 section 9.6). Compiled regular expressions are cached per pattern text:
 * the same indicator is matched again and again.
 *
 * MATCHES is specified as PCRE; it runs on JavaScript's RegExp, a close subset. Supported: the
 * ECMAScript syntax without the `u` flag (so PCRE identity escapes such as `\@` keep working), plus a
 * leading PCRE option group `(?i)`, `(?m)` or `(?s)` (or a mix), which becomes the RegExp flags.
 * Not supported: possessive quantifiers, atomic groups, `\A`/`\z`, recursion, other inline options. A
 * regex that RegExp rejects makes the comparison false, not the whole match an error. Like PCRE's
 * default, the match may start anywhere in the value (use `^` and `$` to anchor).
 */

const CACHE_LIMIT = 4096;
const likeCache = new Map<string, RegExp>();
const matchesCache = new Map<string, RegExp | null>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** SQL LIKE: `%` is any run of characters, `_` one character, the rest literal; the whole value. */
export function compileLike(pattern: string): RegExp {
  const hit = likeCache.get(pattern);
  if (hit) return hit;
  let src = '^';
  for (const ch of pattern) {
    if (ch === '%') src += '[^]*';
    else if (ch === '_') src += '[^]';
    else src += /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
  }
  return remember(likeCache, pattern, new RegExp(`${src}$`, 'u'));
}

const OPTION_GROUP = /^\(\?([ims]+)\)/;

/** The RegExp for a MATCHES pattern, or null if it cannot be compiled. */
export function compileMatches(pattern: string): RegExp | null {
  const hit = matchesCache.get(pattern);
  if (hit !== undefined) return hit;
  let src = pattern;
  let flags = '';
  const m = OPTION_GROUP.exec(src);
  if (m) {
    flags = [...new Set(m[1])].join('');
    src = src.slice(m[0].length);
  }
  let re: RegExp | null;
  try {
    re = new RegExp(src, flags);
  } catch {
    re = null;
  }
  return remember(matchesCache, pattern, re);
}
