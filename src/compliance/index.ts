/**
 * compliance: measures of how an agreement is implemented, computed from the ledger (entries,
 * the facts their envelopes carried, peers' signed receipts), never from rows anyone can edit;
 * reports signed by the node; `verify` recomputes a report and names what disagrees. See
 * docs/COMPLIANCE.md.
 *
 *   const c = createCompliance({ ... });                 // node.compliance
 *   const report = await c.report({ agreement, period: parsePeriod('2026-Q3') });
 *   render(report, 'html');
 *   await c.verify(JSON.parse(text));                    // { ok, figures, entries, rows, ledger }
 */

export type { RowProblem } from './audit.js';
export type { EntryRef } from './collect.js';
export { type Compliance, type ComplianceOptions, createCompliance } from './compliance.js';
export { FACT_TYPES, factsOf } from './facts.js';
export { earlierPeriods, type Period, parsePeriod, previousPeriod } from './period.js';
export { type Crossing, recordCrossing } from './record.js';
export { FORMATS, type Format, render } from './render.js';
export {
  type ComplianceReport,
  checkReportSignature,
  ENTRY_FIELDS,
  type EntryTuple,
  fromTuple,
  REPORT_CONTEXT,
  REPORT_FORMAT,
  signReport,
} from './report.js';
export { summarise } from './stats.js';
export type { EntryDisagreement, FigureDifference, VerifyResult } from './verify.js';
