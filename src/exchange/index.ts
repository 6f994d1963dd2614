/**
 * exchange: the CERT-to-CERT threat-intel link. Per agreement in force and per peer, a node offers
 * exactly the objects that peer may see (policy/), pushed through the outbox after commit and
 * pulled on request; what arrives lands in `from-<peer>`, served over TAXII. See docs/EXCHANGE.md.
 */

export { batchObjectsOf } from './codec.js';
export {
  type AgreementSource,
  createExchange,
  Exchange,
  type ExchangeOptions,
  type ExchangeStats,
  type FeedStatus,
  type InboundLike,
  MAX_BATCH_OBJECTS,
  type PullTransport,
} from './exchange.js';
export { type GrantInput, grantsFor } from './grants.js';
export { type ProvenanceRecord, provenanceOf } from './provenance.js';
export {
  type BatchEntry,
  type BatchPayload,
  type BatchResult,
  EXCHANGE_TYPES,
  INBOUND_PREFIX,
  inboundAlias,
  type PullPayload,
  type PullResult,
} from './types.js';
