/**
 * The statements of an ingest batch, written for few round trips. SQLite takes multi-row VALUES of
 * about 500 rows (its statement and parameter limits); PostgreSQL takes whole columns, each as one
 * text parameter split on the server (`string_to_array($2, chr(30))`): ten parameters instead of
 * five thousand, and none of the per-element quoting the driver does for a JS array (escaping the
 * quotes of every JSON text was half the main thread's work). RS (U+001E) cannot occur in any of
 * the texts: ids, versions and types have fixed forms, and JSON text holds no raw control character
 * outside whitespace.
 */
import { CompiledQuery, type Expression, type SqlBool, sql, type Transaction } from 'kysely';
import { invalid } from '../core/errors.js';
import type { DialectName } from './database.js';
import type { ExistingVersion, NewRow } from './ingest-plan.js';
import type { Schema } from './schema.js';
import { versionOrderKey } from './stix-time.js';

/** Rows per multi-row statement on SQLite; ids per `IN` list. */
const CHUNK = 500;
/** Rows per unnest() statement on PostgreSQL. */
const PG_CHUNK = 5000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The record separator that joins a column's texts into one parameter (see the top of this file). */
const RS = '\u001e';
/** `string_to_array` of one element '' is empty, so a column that may hold '' is coalesced. */
const split = (param: string) => `string_to_array(${param}::text, chr(30))`;

const PG_EXISTING = `select o.id, o.version, o.type, o.date_added_us, o.revoked, o.latest, o.first,
  case when o.type = 'marking-definition' then o.json end as marking_json
  from unnest(${split('$2')}) as k(id) join stix_objects o on o.collection_seq = $1 and o.id = k.id`;

export async function readExisting(
  tx: Transaction<Schema>,
  dialect: DialectName,
  collectionSeq: number,
  ids: string[],
): Promise<ExistingVersion[]> {
  const out: ExistingVersion[] = [];
  if (dialect === 'postgres') {
    // A join of the ids against the table (nested loops only, see keepToIndexes): one primary key
    // probe per id. `id = any($1)` let the planner, without statistics, take each id for 1/200 of
    // the collection and scan all of it instead.
    for (const part of chunks(ids, PG_CHUNK)) {
      const { rows } = await tx.executeQuery<
        Omit<ExistingVersion, 'date_added_us'> & { date_added_us: unknown }
      >(CompiledQuery.raw(PG_EXISTING, [collectionSeq, part.join(RS)]));
      for (const r of rows) out.push({ ...r, date_added_us: Number(r.date_added_us) });
    }
    return out;
  }
  for (const part of chunks(ids, CHUNK)) {
    const rows = await tx
      .selectFrom('stix_objects')
      .select(['id', 'version', 'type', 'date_added_us', 'revoked', 'latest', 'first'])
      .select(sql<string | null>`case when type = 'marking-definition' then json end`.as('marking_json'))
      .where('collection_seq', '=', collectionSeq)
      .where(idIn(part))
      .execute();
    for (const r of rows) out.push({ ...r, date_added_us: Number(r.date_added_us) });
  }
  return out;
}

export async function clearFlag(
  tx: Transaction<Schema>,
  dialect: DialectName,
  collectionSeq: number,
  flag: 'latest' | 'first',
  ids: string[],
) {
  if (dialect === 'postgres') {
    // A join, as in readExisting: one primary key probe per id.
    const text = `update stix_objects o set "${flag}" = 0 from unnest(${split('$2')}) as k(id)
      where o.collection_seq = $1 and o.id = k.id and o."${flag}" = 1`;
    for (const part of chunks(ids, PG_CHUNK)) {
      await tx.executeQuery(CompiledQuery.raw(text, [collectionSeq, part.join(RS)]));
    }
    return;
  }
  for (const part of chunks(ids, CHUNK)) {
    await tx
      .updateTable('stix_objects')
      .set(flag, 0)
      .where('collection_seq', '=', collectionSeq)
      .where(idIn(part))
      .where(sql.ref(flag), '=', sql.lit(1))
      .execute();
  }
}

const ROW_COLUMNS = [
  'collection_seq',
  'id',
  'version',
  'type',
  'spec_version',
  'date_added_us',
  'revoked',
  'latest',
  'first',
  'json',
] as const satisfies readonly (keyof NewRow)[];
const COLUMN_LIST = ROW_COLUMNS.map((c) => `"${c}"`).join(', ');
const PG_INSERT = `insert into "stix_objects" (${COLUMN_LIST})
  select $1::integer, id, coalesce(version, ''), type, spec_version, date_added_us, revoked, latest, first, json
  from unnest(${split('$2')}, ${split('$3')}, ${split('$4')}, ${split('$5')},
    ${split('$6')}::bigint[], ${split('$7')}::integer[], ${split('$8')}::integer[], ${split('$9')}::integer[],
    ${split('$10')}) as r(id, version, type, spec_version, date_added_us, revoked, latest, first, json)`;
/** SQLite insert texts by row count: the same text lets the statement cache in database.ts hit. */
const sqliteInserts = new Map<number, string>();

/**
 * Multi-row INSERTs. The text is built by hand: Kysely's builder would make an AST of 5,000 value
 * nodes per statement.
 */
export async function insertRows(tx: Transaction<Schema>, dialect: DialectName, rows: NewRow[]) {
  if (dialect === 'postgres') {
    for (const part of chunks(rows, PG_CHUNK)) {
      await tx.executeQuery(CompiledQuery.raw(PG_INSERT, pgColumns(part)));
    }
    return;
  }
  for (const part of chunks(rows, CHUNK)) {
    let text = sqliteInserts.get(part.length);
    if (text === undefined) {
      const tuple = `(${ROW_COLUMNS.map(() => '?').join(', ')})`;
      text = `insert into "stix_objects" (${COLUMN_LIST}) values ${part.map(() => tuple).join(', ')}`;
      sqliteInserts.set(part.length, text);
    }
    // Spelled out, in ROW_COLUMNS order: a loop over the column names makes every read a lookup by name.
    const params: unknown[] = new Array(part.length * ROW_COLUMNS.length);
    let k = 0;
    for (const r of part) {
      params[k++] = r.collection_seq;
      params[k++] = r.id;
      params[k++] = r.version;
      params[k++] = r.type;
      params[k++] = r.spec_version;
      params[k++] = r.date_added_us;
      params[k++] = r.revoked;
      params[k++] = r.latest;
      params[k++] = r.first;
      params[k++] = r.json;
    }
    await tx.executeQuery(CompiledQuery.raw(text, params));
  }
}

/**
 * The parameters of PG_INSERT: the collection, then each column's values joined by RS. Spelled
 * out: a loop over the column names would make every read a lookup by name.
 */
function pgColumns(rows: NewRow[]): unknown[] {
  const n = rows.length;
  const id = new Array<string>(n);
  const version = new Array<string>(n);
  const type = new Array<string>(n);
  const spec = new Array<string>(n);
  const added = new Array<number>(n);
  const revoked = new Array<number>(n);
  const latest = new Array<number>(n);
  const first = new Array<number>(n);
  const json = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as NewRow;
    id[i] = r.id;
    version[i] = r.version;
    type[i] = r.type;
    spec[i] = r.spec_version;
    added[i] = r.date_added_us;
    revoked[i] = r.revoked;
    latest[i] = r.latest;
    first[i] = r.first;
    json[i] = r.json;
    // Only a caller breaking the JSON contract could send one; it would shift every later column.
    if (r.json.includes(RS) || r.id.includes(RS) || r.version.includes(RS)) {
      throw invalid(
        'store.bad_json',
        `object ${r.id}: its JSON text holds a raw U+001E, which JSON does not allow`,
      );
    }
  }
  const cols = [id, version, type, spec, added, revoked, latest, first, json].map((c) => c.join(RS));
  return [rows[0]?.collection_seq, ...cols];
}

/** `id IN (...)`, SQLite only (PostgreSQL joins against unnest, see readExisting). */
function idIn(ids: string[]): Expression<SqlBool> {
  return sql<SqlBool>`id in (${sql.join(ids)})`;
}

/** After a delete, the remaining versions' greatest and smallest take the latest and first flags. */
export async function refreshFlags(tx: Transaction<Schema>, seq: number, id: string) {
  const left = await tx
    .selectFrom('stix_objects')
    .select('version')
    .where('collection_seq', '=', seq)
    .where('id', '=', id)
    .execute();
  if (left.length === 0) return;
  const sorted = left.map((r) => r.version).sort((a, b) => cmp(versionOrderKey(a), versionOrderKey(b)));
  const base = () => tx.updateTable('stix_objects').where('collection_seq', '=', seq).where('id', '=', id);
  await base()
    .set((eb) => ({
      latest: eb
        .case()
        .when('version', '=', sorted[sorted.length - 1]!)
        .then(1)
        .else(0)
        .end(),
      first: eb.case().when('version', '=', sorted[0]!).then(1).else(0).end(),
    }))
    .execute();
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
