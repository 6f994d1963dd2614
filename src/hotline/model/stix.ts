/**
 * Attached STIX objects pass the project's STIX 2.1 validator as one batch (so that marking
 * references resolve within the attachment or to the well-known TLP definitions) with the
 * patterning check that ingest uses; the first error names its index and the STIX rule.
 */
import { defaultValidator, stixPatternProblem } from '../../stix/index.js';
import { refuse } from './errors.js';

export function checkStix(objects: readonly Record<string, unknown>[]): void {
  if (objects.length === 0) return;
  const r = defaultValidator().validateBatch(objects, { checkPattern: stixPatternProblem });
  const e = r.errors[0];
  if (!e) return;
  const i = e.index ?? 0;
  const where = e.path ? ` at ${e.path}` : '';
  throw refuse(`stix[${i}]`, `is not valid STIX 2.1: ${e.message}${where} [${e.rule}]`, undefined, {
    index: i,
    rule: e.rule,
    ...(e.path ? { path: e.path } : {}),
  });
}
