/**
 * The STIX 2.1 core: typed schemas of every object, validation with stable rule codes, TLP
 * helpers, versioning rules and the STIX 2.0 upgrade. (Patterning lives in ./pattern.)
 *
 *   const validator = defaultValidator();              // or createStixValidator(); warmUp() compiles all
 *   const obj = isStix20Object(raw) ? upgrade20(raw) : raw;
 *   const r = validator.validate(obj, { knownMarkings }); // Set<string> or (id) => boolean
 *   if (r.ok) store.ingest(c, [{ head: toStoreHead(r.object), json }]);
 *   else r.errors;                                     // StixIssue[]: { id, path, rule, message, severity }
 *   validator.validateBatch(objects) / validateBundle(bundle) / validateJson(text)  // BatchResult
 *   tlpOf(obj) -> 'clear' | 'green' | 'amber' | 'amber+strict' | 'red' | undefined
 *   checkSuccessor(latestStored, next) -> StixIssue | undefined   // revoked is final, markings immutable
 */
export * from './common.js';
export { CustomSco, CustomSdo, isCustomSdoLike } from './custom.js';
export type { StixIssue } from './issues.js';
export { MarkingDefinition } from './marking.js';
export { Bundle, ExtensionDefinition, LanguageContent } from './meta.js';
export * from './pattern/index.js';
export { stixPatternProblem } from './pattern-check.js';
export { STIX_RULES } from './rule-codes.js';
export {
  CUSTOM_SCHEMAS,
  familyOf,
  META_SCHEMAS,
  OBJECT_SCHEMAS,
  SDO_SCHEMAS,
  SRO_SCHEMAS,
  type StixFamily,
} from './schemas.js';
export * from './sco.js';
export { deterministicScoId, ID_CONTRIBUTING_PROPERTIES, SCO_ID_NAMESPACE, uuidv5 } from './sco-id.js';
export * from './sdo.js';
export { Relationship, Sighting } from './sro.js';
export { compareTimestamps, isValidTimestamp, toMillisPrecision } from './timestamp.js';
export * from './tlp.js';
export type { StixMeta, StixObject, StixSco, StixSdo, StixSro } from './types.js';
export { isStix20Object, upgrade20, upgrade20InPlace, upgrade20InPlaceWithText } from './upgrade.js';
export {
  type BatchResult,
  createStixValidator,
  defaultValidator,
  StixValidator,
  type ValidateContext,
  type ValidationResult,
  validateBundle,
  validateObject,
} from './validate.js';
export {
  checkSuccessor,
  compareVersions,
  sameContent,
  toStoreHead,
  versionKey,
  versionOf,
} from './version.js';
