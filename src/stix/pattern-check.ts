/**
 * Checks an indicator's pattern with the STIX patterning parser (./pattern, section 9) when its
 * pattern_type is `stix`. Plugged into validation through `ValidateContext.checkPattern`, so that
 * callers choose whether to pay for parsing (ingest does; a quick shape check need not).
 */
import { parsePattern } from './pattern/index.js';

/** Returns why a STIX pattern does not parse, or undefined when it does. */
export function stixPatternProblem(pattern: string): string | undefined {
  try {
    parsePattern(pattern);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
