/**
 * consult: consultations between the parties of an agreement (schedule, documents, minutes, joint
 * measures), each change a signed entry shared with the agreement's other parties. See
 * docs/CONSULTATIONS.md.
 */
export { Consultations, type ScheduleInput } from './consultations.js';
export type { ConsultAgreements, ConsultDeps, ConsultInbox, ConsultOutbox } from './deps.js';
export { checkAttachment, guessKind, MAX_DOCUMENT_BYTES } from './documents.js';
export { isDay, parseEntry, signEntry, verifyEntry } from './entry.js';
export * from './types.js';
export type { VerifyResult } from './verify.js';
