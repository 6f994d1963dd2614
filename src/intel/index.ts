/** intel: the node's local threat-intel repository: ingest STIX input, export bundles. */
export { type ExportOptions, exportBundle } from './export.js';
export {
  type IngestDeps,
  type IngestOptions,
  type IngestSummary,
  ingest,
  type Rejection,
  WORKER_MIN_BYTES,
  warmUpIngestWorker,
} from './ingest.js';
