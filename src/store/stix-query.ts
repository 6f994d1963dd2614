/**
 * The page query behind StixStore.query(). Each branch is an index range scan in date_added order
 * that stops at LIMIT, so a page costs O(limit) whatever the collection's size:
 * - no type/id filter: (collection_seq, date_added_us), or its partial twin for latest rows (the
 *   default). `first` rows filter the full index: nearly every object has one version, so a page
 *   reads about `limit` rows, and one index less speeds up every ingest;
 * - types: one scan of (collection_seq, type, date_added_us) per type, each limited, merged by a
 *   UNION ALL and limited again (an IN list on that index would read every row of those types);
 * - ids: the primary key (collection_seq, id, version) yields every version of those ids, sorted.
 * Flag tests are SQL literals, never parameters: SQLite uses a partial index only when the query's
 * WHERE term matches the index's at prepare time.
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Schema } from './schema.js';
import type { ObjectQuery } from './stix-store.js';

export const OBJECT_COLUMNS = [
  'id',
  'type',
  'version',
  'spec_version',
  'date_added_us',
  'revoked',
  'latest',
  'json',
] as const;

export interface ObjectRow {
  id: string;
  type: string;
  version: string;
  spec_version: string;
  date_added_us: number;
  revoked: number;
  latest: number;
  json: string;
}

type Select = SelectQueryBuilder<Schema, 'stix_objects', ObjectRow>;

/**
 * Object rows carry the collection's integer seq; an uncorrelated scalar subquery turns the UUID
 * into it once per statement (an InitPlan on PostgreSQL), and the index range scans still apply.
 */
export function seqOf(db: Kysely<Schema>, collectionId: string) {
  return db.selectFrom('stix_collections').select('seq').where('id', '=', collectionId);
}

function filtered(db: Kysely<Schema>, q: ObjectQuery, type?: string): Select {
  let s = db
    .selectFrom('stix_objects')
    .select(OBJECT_COLUMNS)
    .where('collection_seq', '=', seqOf(db, q.collectionId));
  if (type !== undefined) s = s.where('type', '=', type);
  if (q.addedAfterUs !== undefined) s = s.where('date_added_us', '>', Number(q.addedAfterUs));
  if (q.ids !== undefined) s = s.where('id', 'in', q.ids);
  if (q.specVersions !== undefined) s = s.where('spec_version', 'in', q.specVersions);
  // TAXII 2.1 section 3.4.4: match[version] defaults to `last`.
  const v = q.versions ?? { kind: 'last' };
  if (v.kind === 'last') s = s.where(sql.ref('latest'), '=', sql.lit(1));
  else if (v.kind === 'first') s = s.where(sql.ref('first'), '=', sql.lit(1));
  else if (v.kind === 'at' && (v.first || v.last))
    s = s.where((eb) =>
      eb.or([
        ...(v.versions.length > 0 ? [eb('version', 'in', v.versions)] : []),
        ...(v.first ? [eb(sql.ref('first'), '=', sql.lit(1))] : []),
        ...(v.last ? [eb(sql.ref('latest'), '=', sql.lit(1))] : []),
      ]),
    );
  else if (v.kind === 'at') s = s.where('version', 'in', v.versions);
  return s.orderBy('date_added_us').limit(q.limit);
}

/** Builds the page query; an empty ids/types/versions list matches nothing. */
export function pageQuery(db: Kysely<Schema>, q: ObjectQuery): Select | undefined {
  if (q.ids?.length === 0 || q.types?.length === 0 || q.specVersions?.length === 0) return undefined;
  const v = q.versions;
  if (v?.kind === 'at' && v.versions.length === 0 && !v.first && !v.last) return undefined;
  const types = q.types === undefined ? [] : [...new Set(q.types)];
  // With ids the primary key already bounds the rows read; types are then a plain filter.
  if (q.ids !== undefined || types.length === 0) {
    const s = filtered(db, q);
    return types.length > 0 ? s.where('type', 'in', types) : s;
  }
  if (types.length === 1) return filtered(db, q, types[0]);
  const [head, ...rest] = types.map((t, i) => db.selectFrom(filtered(db, q, t).as(`t${i}`)).selectAll());
  let union = head!;
  for (const part of rest) union = union.unionAll(part);
  return db
    .selectFrom(union.as('u'))
    .selectAll()
    .orderBy('date_added_us')
    .limit(q.limit) as unknown as Select;
}
