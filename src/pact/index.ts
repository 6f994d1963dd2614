/**
 * pact: agreements between parties. A canonical JSON document (RFC 8785) named by its hash, signed
 * by every party, with a lifecycle (proposed, in force, suspended, terminated) and versions for
 * amendments and accessions. See docs/AGREEMENTS.md.
 */
export { type Courier, type Delivery, PACT_TYPES } from './courier.js';
export * from './defaults.js';
export {
  AGREEMENT_CONTEXT,
  AGREEMENT_ID,
  type AgreementDocument,
  type AgreementParty,
  type AgreementSignature,
  type AgreementTerms,
  agreementIdOf,
  buildDocument,
  type CompetentAuthority,
  checkDocument,
  checkSignature,
  signDocument,
  versionHash,
} from './document.js';
export {
  type AgreementState,
  type AgreementView,
  Pacts,
  type PactsOptions,
  type PartyInfo,
  partyFrom,
  stateLabel,
} from './service.js';
