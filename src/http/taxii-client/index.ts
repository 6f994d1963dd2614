/** The TAXII 2.1 client: resources, HTTP calls, incremental pull into the store, push with status. */
export {
  type ClientAuth,
  type ClientOptions,
  join,
  type ObjectFilters,
  type Paged,
  TAXII_21,
  TaxiiClient,
} from './client.js';
export { type PullDeps, type PullOptions, type PullResult, pullCollection, pullPosition } from './pull.js';
export { objectsOf, type PushResult, pushObjects } from './push.js';
export { resolveApiRoot } from './resolve.js';
export * from './resources.js';
