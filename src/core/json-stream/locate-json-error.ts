/**
 * Where JSON.parse gave up. V8 names a position for some faults only ("Unexpected token" has none),
 * so on the error path this small validator walks the text (RFC 8259 grammar) and returns the index
 * of the first character that cannot be part of valid JSON. Never used on the fast path.
 */

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

class Fault {
  constructor(readonly at: number) {}
}

/**
 * Index of the first offending character of `s` (`s.length` when it ends too soon), or -1 when `s`
 * is valid JSON.
 */
export function locateJsonError(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw new Fault(i);
  };
  const code = (): number => (i < s.length ? s.charCodeAt(i) : fail());
  const space = (): void => {
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  };
  const expect = (c: number): void => {
    if (code() !== c) fail();
    i++;
  };
  const string = (): void => {
    expect(0x22);
    for (;;) {
      const c = code();
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail();
      if (c !== 0x5c) {
        i++;
        continue;
      }
      i++;
      const e = code();
      if (e === 0x75) {
        i++;
        for (let k = 0; k < 4; k++) {
          if (!isHex(code())) fail();
          i++;
        }
      } else if ('"\\/bfnrt'.includes(String.fromCharCode(e))) i++;
      else fail();
    }
  };
  const digits = (): void => {
    if (!isDigit(code())) fail();
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  };
  const number = (): void => {
    if (code() === 0x2d) i++;
    if (code() === 0x30) i++;
    else digits();
    if (i < s.length && s.charCodeAt(i) === 0x2e) {
      i++;
      digits();
    }
    if (i < s.length && (s.charCodeAt(i) | 0x20) === 0x65) {
      i++;
      const sign = code();
      if (sign === 0x2b || sign === 0x2d) i++;
      digits();
    }
  };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++) expect(word.charCodeAt(k));
  };
  const object = (): void => {
    i++;
    space();
    if (code() === 0x7d) {
      i++;
      return;
    }
    for (;;) {
      space();
      string();
      space();
      expect(0x3a);
      value();
      space();
      if (code() !== 0x2c) break;
      i++;
    }
    expect(0x7d);
  };
  const array = (): void => {
    i++;
    space();
    if (code() === 0x5d) {
      i++;
      return;
    }
    for (;;) {
      value();
      space();
      if (code() !== 0x2c) break;
      i++;
    }
    expect(0x5d);
  };
  function value(): void {
    space();
    const c = code();
    if (c === 0x7b) object();
    else if (c === 0x5b) array();
    else if (c === 0x22) string();
    else if (c === 0x74) literal('true');
    else if (c === 0x66) literal('false');
    else if (c === 0x6e) literal('null');
    else if (c === 0x2d || isDigit(c)) number();
    else fail();
  }
  try {
    value();
    space();
    return i < s.length ? i : -1;
  } catch (e) {
    if (e instanceof Fault) return e.at;
    throw e;
  }
}
