/**
 * Indicator lookup: which indicators in force match an observed value. Exact values and CIDR blocks
 * are indexed, the rest of each pattern is left to the STIX evaluator; the index follows the store.
 * See docs/MATCHING.md.
 */
export { compileIndicator, type IndicatorEntry, propertyKey } from './indicator-entry.js';
export { type ApplyOutcome, type IndexStats, IndicatorIndex, observationOf } from './indicator-index.js';
export {
  type LookupMatch,
  type LookupResult,
  Matcher,
  type MatcherOptions,
  type RefreshResult,
  toMatch,
} from './matcher.js';
export {
  normaliseAddress,
  normaliseDomain,
  normaliseEmail,
  normaliseHash,
  normaliseUrl,
} from './normalise.js';
export { type Observable, type ObservableKind, type Probe, parseObservable } from './observable.js';
export { type Block, PrefixIndex, parseBlock } from './prefix-index.js';
export { readObservables } from './read-observables.js';
export { buildSighting, recordSightings, type SightingOptions } from './sighting.js';
