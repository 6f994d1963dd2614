/**
 * Incremental pull of one remote collection into a local one (TAXII 2.1 section 3.4). Within a run
 * the client follows `next`; across runs it resumes from the X-TAXII-Date-Added-Last of the last
 * page it stored, kept in the node's database per (API root URL, collection). The position is saved
 * only after the page's objects are committed, so a crash re-reads at most one page, and re-reading is
 * harmless (the store answers `present`). Objects go through the same validate+store path as a POST.
 */
import { invalid } from '../../core/index.js';
import type { Database, StixStore } from '../../store/index.js';
import { INGEST_CHUNK, prepare, type StatusDetail, type StixValidator, storeChunk } from '../taxii/index.js';
import type { ObjectFilters, TaxiiClient } from './client.js';

export interface PullDeps {
  database: Database;
  store: StixStore;
  validate: StixValidator;
}

export interface PullOptions {
  rootUrl: string;
  collectionId: string;
  /** Local collection id or alias; created (with this alias) when missing. */
  into: string;
  pageSize?: number;
  /** `all` (default) replicates every version; `last` only the latest of each object. */
  versions?: 'all' | 'last';
  /** Stop after this many pages (the next run continues). */
  maxPages?: number;
  onPage?(p: { page: number; received: number; stored: number; position?: string }): void;
}

export interface PullResult {
  pages: number;
  received: number;
  /** Newly stored versions (not those already present). */
  stored: number;
  failures: StatusDetail[];
  /** Where the next run starts (added_after), if known. */
  position?: string;
  complete: boolean;
}

export const stateKey = (rootUrl: string) => (rootUrl.endsWith('/') ? rootUrl : `${rootUrl}/`);

export async function pullPosition(database: Database, rootUrl: string, collectionId: string) {
  return database.db
    .selectFrom('taxii_pull_state')
    .selectAll()
    .where('server', '=', stateKey(rootUrl))
    .where('collection_id', '=', collectionId)
    .executeTakeFirst();
}

export async function pullCollection(
  deps: PullDeps,
  client: TaxiiClient,
  o: PullOptions,
): Promise<PullResult> {
  const local =
    (await deps.store.getCollection(o.into)) ??
    (await deps.store.createCollection({
      alias: o.into,
      title: `pulled from ${o.rootUrl} ${o.collectionId}`,
    }));
  const state = await pullPosition(deps.database, o.rootUrl, o.collectionId);
  const base: ObjectFilters = {
    limit: o.pageSize ?? 1000,
    'match[version]': [o.versions ?? 'all'],
    ...(state ? { added_after: state.added_after } : {}),
  };
  const out: PullResult = { pages: 0, received: 0, stored: 0, failures: [], complete: false };
  if (state) out.position = state.added_after;
  let next: string | undefined;
  for (;;) {
    if (o.maxPages !== undefined && out.pages >= o.maxPages) return out;
    const filters: ObjectFilters = { ...base, ...(next ? { next } : {}) };
    if (!next && out.position) filters.added_after = out.position;
    const res = await client.getObjects(o.rootUrl, o.collectionId, filters);
    const objects = res.body.objects;
    out.pages++;
    out.received += objects.length;
    const prepared = prepare(objects, deps.validate);
    out.failures.push(...prepared.failures);
    for (let i = 0; i < prepared.ready.length; i += INGEST_CHUNK) {
      const r = await storeChunk(deps.store, local.id, prepared.ready.slice(i, i + INGEST_CHUNK));
      out.stored += r.successes.filter((s) => s.message !== 'already present').length;
      out.failures.push(...r.failures);
    }
    if (res.dateAddedLast) {
      out.position = res.dateAddedLast;
      await savePosition(deps.database, o.rootUrl, o.collectionId, res.dateAddedLast, objects.length);
    }
    o.onPage?.({
      page: out.pages,
      received: objects.length,
      stored: out.stored,
      ...(out.position ? { position: out.position } : {}),
    });
    if (!res.body.more || objects.length === 0) {
      out.complete = true;
      return out;
    }
    if (res.body.next) next = res.body.next;
    else if (res.dateAddedLast)
      next = undefined; // continue with added_after = the page's last date_added
    else {
      throw invalid(
        'taxii_client.cannot_page',
        `${o.rootUrl} said more objects exist but sent neither next nor X-TAXII-Date-Added-Last`,
      );
    }
  }
}

async function savePosition(
  database: Database,
  rootUrl: string,
  collectionId: string,
  addedAfter: string,
  n: number,
) {
  const updated = new Date().toISOString();
  await database.db
    .insertInto('taxii_pull_state')
    .values({
      server: stateKey(rootUrl),
      collection_id: collectionId,
      added_after: addedAfter,
      objects_pulled: n,
      updated,
    })
    .onConflict((oc) =>
      oc.columns(['server', 'collection_id']).doUpdateSet((eb) => ({
        added_after: addedAfter,
        objects_pulled: eb('taxii_pull_state.objects_pulled', '+', n),
        updated,
      })),
    )
    .execute();
}
