/**
 * What the TAXII endpoints need, built once per node (the composition root passes the database,
 * the STIX store and the STIX validator in). Endpoint files take this context and nothing else.
 */
import { type Clock, systemClock } from '../../core/index.js';
import type { Database, StixStore } from '../../store/index.js';
import { Authenticator, type Principal, Principals } from '../auth/index.js';
import type { StixValidator } from './ingest.js';
import { PageCache } from './page-cache.js';
import { TaxiiRegistry } from './registry.js';
import { StatusStore } from './status-store.js';

export interface TaxiiDeps {
  database: Database;
  store: StixStore;
  /** The STIX core's validator (src/stix). */
  validate: StixValidator;
  /** Largest page served (config taxiiMaxPageSize). */
  maxPageSize: number;
  clock?: Clock;
  /** Discovery fields (section 4.1.1). */
  title?: string;
  description?: string;
  contact?: string;
  /** How long a served page may be reused, ms (default 1000; 0 turns the page cache off). */
  pageCacheMs?: number;
  /** POSTs with more valid objects than this answer at once with a pending status (default 1000). */
  syncIngestLimit?: number;
  /**
   * Called after a POST's chunk has committed objects into a collection (the composition root
   * tells the threat-intel exchange, which pushes them to partners). Must not throw.
   */
  onStored?: (collectionId: string) => void;
}

export interface TaxiiContext {
  deps: TaxiiDeps;
  clock: Clock;
  registry: TaxiiRegistry;
  statuses: StatusStore;
  principals: Principals;
  auth: Authenticator;
  pages: PageCache;
  /** Where background failures are reported (the server's logger once mounted). */
  log?: (e: unknown) => void;
  /** Ingestion still running after its POST was answered; awaited on close. */
  jobs: Set<Promise<void>>;
}

export function createTaxiiContext(deps: TaxiiDeps): TaxiiContext {
  const clock = deps.clock ?? systemClock;
  const principals = new Principals(deps.database);
  return {
    deps,
    clock,
    registry: new TaxiiRegistry(deps.database, deps.store, clock),
    statuses: new StatusStore(deps.database, clock),
    principals,
    auth: new Authenticator(principals, clock),
    pages: new PageCache(clock, deps.pageCacheMs ?? 1000),
    jobs: new Set(),
  };
}

declare module 'fastify' {
  /** OpenAPI fields on route schemas, read by openapi.ts (the names @fastify/swagger uses). */
  interface FastifySchema {
    summary?: string;
    tags?: string[];
    hide?: boolean;
  }
  interface FastifyRequest {
    taxiiPrincipal: Principal | null;
    taxiiBodyBytes: number;
  }
}
