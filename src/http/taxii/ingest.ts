/**
 * The one path by which TAXII content enters the store, shared by POST objects (section 5.4) and
 * by the TAXII client's pull: validate each object with the STIX core, then store the valid ones in
 * chunks. One bad object never sinks its neighbours: it becomes a failure with a message.
 */
import type { IngestOutcome, ObjectToStore, StixHead, StixStore } from '../../store/index.js';
import type { StatusDetail } from './status-store.js';

/** The STIX core's verdict on one object. */
export type Verdict = { ok: true; head: StixHead } | { ok: false; message: string };
export type StixValidator = (obj: unknown) => Verdict;

export interface Prepared {
  ready: { toStore: ObjectToStore; detail: StatusDetail }[];
  failures: StatusDetail[];
}

/** Rows per store transaction: large enough to amortise the commit, small enough to report progress. */
export const INGEST_CHUNK = 1000;

const detailOf = (o: unknown): StatusDetail => {
  const r = (o && typeof o === 'object' ? o : {}) as Record<string, unknown>;
  const id = typeof r.id === 'string' ? r.id : '';
  const version =
    typeof r.modified === 'string' ? r.modified : typeof r.created === 'string' ? r.created : '';
  return { id, version };
};

export function prepare(objects: unknown[], validate: StixValidator): Prepared {
  const out: Prepared = { ready: [], failures: [] };
  for (const o of objects) {
    const detail = detailOf(o);
    let v: Verdict;
    try {
      v = validate(o);
    } catch (e) {
      v = { ok: false, message: (e as Error).message };
    }
    if (v.ok) out.ready.push({ toStore: { head: v.head, json: JSON.stringify(o) }, detail });
    else out.failures.push({ ...detail, message: v.message });
  }
  return out;
}

/** Stores one chunk; every object comes back as a success or a failure. */
export async function storeChunk(
  store: StixStore,
  collectionId: string,
  chunk: Prepared['ready'],
): Promise<{ successes: StatusDetail[]; failures: StatusDetail[] }> {
  const outcomes: IngestOutcome[] = await store.ingest(
    collectionId,
    chunk.map((c) => c.toStore),
  );
  const successes: StatusDetail[] = [];
  const failures: StatusDetail[] = [];
  outcomes.forEach((o, i) => {
    // SCOs have no version of their own: TAXII uses date_added (section 3.4.2, match[version]).
    const version =
      o.version || (o.status !== 'rejected' ? o.dateAdded : '') || (chunk[i]?.detail.version ?? '');
    if (o.status === 'rejected') failures.push({ id: o.id, version, message: `${o.reason} [${o.code}]` });
    else
      successes.push({
        id: o.id,
        version,
        ...(o.status === 'present' ? { message: 'already present' } : {}),
      });
  });
  return { successes, failures };
}
