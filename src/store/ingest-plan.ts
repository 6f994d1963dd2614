/**
 * Decides, in memory, what an ingest batch does: which versions are new, which are already present,
 * which are rejected, and which stored rows lose their latest/first flag. Pure, so the rules
 * (idempotence, revocation final, marking definitions immutable) are easy to read and test; the
 * store feeds it the existing versions of the batch's ids and writes the result.
 */
import { type IngestOutcome, type ObjectToStore, versionOf } from './stix-store.js';
import { formatDateAdded, versionOrderKey } from './stix-time.js';

/** An existing row of one of the batch's ids, as read from the database. */
export interface ExistingVersion {
  id: string;
  version: string;
  type: string;
  date_added_us: number;
  revoked: number;
  latest: number;
  first: number;
  /** Only for marking definitions, whose content is compared. */
  marking_json: string | null;
}

export interface NewRow {
  collection_seq: number;
  id: string;
  version: string;
  type: string;
  spec_version: string;
  date_added_us: number;
  revoked: number;
  latest: number;
  first: number;
  json: string;
}

export interface IngestPlan {
  outcomes: IngestOutcome[];
  rows: NewRow[];
  /** Ids whose stored latest (first) row is superseded by a new row. */
  clearLatest: string[];
  clearFirst: string[];
  /** The collection's new high-water mark of date_added. */
  lastAddedUs: number;
  rejected: number;
}

interface Edge {
  version: string;
  /** versionOrderKey(version), computed when first compared (a new id is never compared). */
  key: string | undefined;
  revoked: boolean;
  /** The new row holding the flag, or undefined when a stored row does. */
  row?: NewRow;
}

const keyOf = (e: Edge): string => {
  if (e.key === undefined) e.key = versionOrderKey(e.version);
  return e.key;
};

/** Per id touched by the batch: which version holds the latest and first flags, and its versions. */
interface IdState {
  latest?: Edge;
  first?: Edge;
  markingJson?: string;
  /** The first version known (stored or new) and its date_added; further ones in `more`. */
  version: string;
  addedUs: number;
  more?: Map<string, number>;
}

const MARKING = 'marking-definition';

function addedOf(s: IdState, version: string): number | undefined {
  return s.version === version ? s.addedUs : s.more?.get(version);
}

function addVersion(s: IdState, version: string, us: number): void {
  s.more ??= new Map();
  s.more.set(version, us);
}

export function planIngest(
  collectionSeq: number,
  objects: readonly ObjectToStore[],
  existing: readonly ExistingVersion[],
  lastAddedUs: number,
  nowUs: number,
): IngestPlan {
  // Hot path of bulk ingest: no closures, per-object maps or version keys for an id seen once.
  const states = new Map<string, IdState>();
  for (const e of existing) {
    let s = states.get(e.id);
    if (!s) {
      s = { version: e.version, addedUs: e.date_added_us };
      states.set(e.id, s);
    } else addVersion(s, e.version, e.date_added_us);
    const edge: Edge = { version: e.version, key: undefined, revoked: e.revoked === 1 };
    if (e.latest === 1) s.latest = edge;
    if (e.first === 1) s.first = edge;
    if (e.marking_json !== null) s.markingJson = e.marking_json;
  }

  const plan: IngestPlan = {
    outcomes: [],
    rows: [],
    clearLatest: [],
    clearFirst: [],
    lastAddedUs,
    rejected: 0,
  };
  const clearLatest = new Set<string>();
  const clearFirst = new Set<string>();
  for (const { head, json } of objects) {
    const { id } = head;
    const version = versionOf(head);
    const s = states.get(id);
    if (s !== undefined) {
      // STIX 2.1 section 7.2.1: marking definitions cannot be versioned; one id, one content.
      if (head.type === MARKING && s.markingJson !== undefined && s.markingJson !== json) {
        plan.outcomes.push({
          id,
          version,
          status: 'rejected',
          code: 'stix.marking_immutable',
          reason: `marking definition ${id} is already stored with different content`,
        });
        plan.rejected++;
        continue;
      }
      const seen = addedOf(s, version);
      if (seen !== undefined) {
        plan.outcomes.push({ id, version, status: 'present', dateAdded: formatDateAdded(seen) });
        continue;
      }
    }
    const edge: Edge = { version, key: undefined, revoked: head.revoked === true };
    // STIX 2.1 section 3.6.2: once revoked, an object gets no later version.
    if (s?.latest?.revoked && keyOf(edge) > keyOf(s.latest)) {
      plan.outcomes.push({
        id,
        version,
        status: 'rejected',
        code: 'stix.revoked_is_final',
        reason: `${id} is revoked; version ${version} cannot follow a revoked version`,
      });
      plan.rejected++;
      continue;
    }
    const dateAddedUs = Math.max(nowUs, plan.lastAddedUs + 1);
    plan.lastAddedUs = dateAddedUs;
    const isLatest = !s?.latest || keyOf(edge) > keyOf(s.latest);
    const isFirst = !s?.first || keyOf(edge) < keyOf(s.first);
    const row: NewRow = {
      collection_seq: collectionSeq,
      id,
      version,
      type: head.type,
      spec_version: head.spec_version ?? '2.1',
      date_added_us: dateAddedUs,
      revoked: edge.revoked ? 1 : 0,
      latest: isLatest ? 1 : 0,
      first: isFirst ? 1 : 0,
      json,
    };
    edge.row = row;
    if (!s) {
      // The common case of a bulk load: an id not seen before.
      const ns: IdState = { latest: edge, first: edge, version, addedUs: dateAddedUs };
      if (head.type === MARKING) ns.markingJson = json;
      states.set(id, ns);
    } else {
      if (isLatest) {
        if (s.latest?.row) s.latest.row.latest = 0;
        else if (s.latest) clearLatest.add(id);
        s.latest = edge;
      }
      if (isFirst) {
        if (s.first?.row) s.first.row.first = 0;
        else if (s.first) clearFirst.add(id);
        s.first = edge;
      }
      if (head.type === MARKING) s.markingJson = json;
      addVersion(s, version, dateAddedUs);
    }
    plan.rows.push(row);
    plan.outcomes.push({ id, version, status: 'stored', dateAdded: formatDateAdded(dateAddedUs) });
  }
  plan.clearLatest = [...clearLatest];
  plan.clearFirst = [...clearFirst];
  return plan;
}
