/** TAXII 2.1 server (OASIS, 10 June 2021) under /taxii2/, its state loader and /openapi.json. */
export { createTaxiiContext, type TaxiiContext, type TaxiiDeps } from './context.js';
export { type TaxiiErrorBody, toTaxiiError } from './errors.js';
export {
  INGEST_CHUNK,
  type Prepared,
  prepare,
  type StixValidator,
  storeChunk,
  type Verdict,
} from './ingest.js';
export { type LoadedState, loadTaxiiState } from './load-state.js';
export { acceptsTaxii, isTaxiiContentType, STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from './media-types.js';
export { taxiiPlugins } from './mount.js';
export { openApiPlugin } from './openapi.js';
export { TAXII_PREFIX, taxiiPlugin } from './plugin.js';
export { type Access, type ApiRoot, DEFAULT_MAX_CONTENT_LENGTH, TaxiiRegistry } from './registry.js';
export {
  STATUS_TTL_MS,
  type StatusDetail,
  type StatusResource,
  StatusStore,
  statusBody,
} from './status-store.js';
export { stixValidator } from './stix-validator.js';
export { formatTimestampUs, parseTimestampUs } from './timestamps.js';
