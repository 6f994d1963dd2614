/**
 * Errors of the pattern parser. Positions are reported like the OASIS validator (ANTLR) does: line
 * from 1, column from 0, so `line 1:5` names the same character in both.
 */
import { ParleyError } from '../../core/errors.js';

export interface PatternPosition {
  /** 1-based line. */
  line: number;
  /** 0-based column (UTF-16 code units), as ANTLR counts. */
  column: number;
  /** 0-based offset in the whole pattern. */
  offset: number;
}

export function positionOf(src: string, offset: number): PatternPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = src.charCodeAt(i);
    // \r\n counts once; a lone \r or \n each start a line.
    if (c === 10 || (c === 13 && src.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart, offset };
}

const show = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s);

/**
 * `pattern.syntax`: the text at `offset` is not what the grammar allows there. `expected` lists the
 * token kinds that would have been accepted.
 */
export function syntaxError(
  src: string,
  offset: number,
  found: string,
  expected: readonly string[],
  problem?: string,
): ParleyError {
  const pos = positionOf(src, offset);
  const want = expected.length === 1 ? expected[0] : `{${expected.join(', ')}}`;
  const what = found === '' ? '<EOF>' : `'${show(found)}'`;
  const message = problem
    ? `Error found at line ${pos.line}:${pos.column}. ${problem}${expected.length ? `; expecting ${want}` : ''}`
    : `Error found at line ${pos.line}:${pos.column}. mismatched input ${what} expecting ${want}`;
  return new ParleyError('pattern.syntax', message, 400, {
    ...pos,
    expected: [...expected],
    found,
    ...(problem ? { problem } : {}),
  });
}

/**
 * A pattern that parses but that the OASIS validator rejects: a hash value of the wrong form
 * (`pattern.invalid_hash`), or the same qualifier twice on one observation expression
 * (`pattern.duplicate_qualifier`).
 */
export function semanticError(code: string, src: string, offset: number, message: string): ParleyError {
  const pos = positionOf(src, offset);
  return new ParleyError(code, `Error found at line ${pos.line}:${pos.column}. ${message}`, 400, { ...pos });
}
