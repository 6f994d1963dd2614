/**
 * Reading the node's threat intel for the web UI: a search over the latest version of every object
 * in every collection, newest first, filtered by type (in SQL), TLP label, origin, date and text
 * (in code, on the parsed object); an object with its relationships; counts by TLP label.
 *
 * Paging is by date_added (a cursor, microseconds): a page scans forward until it has `limit`
 * matches or SCAN_MAX rows, so a rare filter over a big store still answers promptly with a cursor.
 */
import { sql } from 'kysely';
import { invalid } from '../../../core/index.js';
import { INBOUND_PREFIX, provenanceOf } from '../../../exchange/index.js';
import { TLP_ORDER, type TlpLevel, tlpOf } from '../../../stix/index.js';
import type { WebContext } from './deps.js';

const SCAN_BATCH = 500;
const SCAN_MAX = 20_000;

export interface ObjectSummary {
  id: string;
  type: string;
  name: string | null;
  tlp: TlpLevel | null;
  origin: string;
  collection: string;
  created: string | null;
  modified: string | null;
  revoked: boolean;
}

export interface SearchFilter {
  q?: string;
  types?: string[];
  tlp?: string[];
  origin?: string;
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
}

interface Row {
  id: string;
  version: string;
  type: string;
  json: string;
  revoked: number;
  date_added_us: number;
  alias: string;
}

const TLP_FILTER = new Set<string>([...TLP_ORDER, 'none']);

function baseQuery(ctx: WebContext) {
  return ctx.database.db
    .selectFrom('stix_objects as o')
    .innerJoin('stix_collections as c', 'c.seq', 'o.collection_seq')
    .select(['o.id', 'o.version', 'o.type', 'o.json', 'o.revoked', 'o.date_added_us', 'c.alias'])
    .where('o.latest', '=', 1);
}

/** Summaries of rows, with each one's origin: this node, or the node it came from (provenance). */
async function summarise(ctx: WebContext, rows: Row[]): Promise<ObjectSummary[]> {
  const received = rows.filter((r) => r.alias.startsWith(INBOUND_PREFIX));
  const prov = received.length ? await provenanceOf(ctx.database.db, received) : new Map();
  return rows.map((r) => {
    const o = JSON.parse(r.json) as Record<string, unknown>;
    const p = prov.get(`${r.id}\u0000${r.version}`);
    const origin = p
      ? p.origin
      : r.alias.startsWith(INBOUND_PREFIX)
        ? r.alias.slice(INBOUND_PREFIX.length)
        : ctx.self.id;
    return {
      id: r.id,
      type: r.type,
      name: typeof o.name === 'string' ? o.name : null,
      tlp: tlpOf(o) ?? null,
      origin,
      collection: r.alias,
      created: typeof o.created === 'string' ? o.created : null,
      modified: typeof o.modified === 'string' ? o.modified : null,
      revoked: r.revoked === 1,
    };
  });
}

export async function search(
  ctx: WebContext,
  f: SearchFilter,
): Promise<{ items: ObjectSummary[]; next: string | null }> {
  for (const t of f.tlp ?? [])
    if (!TLP_FILTER.has(t))
      throw invalid('intel.bad_tlp', `tlp must be among ${[...TLP_FILTER].join(', ')}, got "${t}"`, {
        field: 'tlp',
      });
  let before: number | undefined;
  if (f.cursor !== undefined) {
    before = Number(f.cursor);
    if (!Number.isSafeInteger(before) || before < 0)
      throw invalid('intel.bad_cursor', 'cursor must be the `next` value of a previous page', {
        field: 'cursor',
      });
  }
  const needle = f.q?.toLowerCase();
  const items: ObjectSummary[] = [];
  let scanned = 0;
  while (items.length < f.limit && scanned < SCAN_MAX) {
    let q = baseQuery(ctx);
    q = f.types ? q.where('o.type', 'in', f.types) : q.where('o.type', '!=', 'marking-definition');
    if (before !== undefined) q = q.where('o.date_added_us', '<', before);
    const rows = (await q.orderBy('o.date_added_us', 'desc').limit(SCAN_BATCH).execute()) as Row[];
    if (rows.length === 0) return { items, next: null };
    scanned += rows.length;
    const sums = await summarise(ctx, rows);
    let consumed = 0;
    for (const s of sums) {
      if (items.length >= f.limit) break;
      consumed += 1;
      if (f.tlp && !f.tlp.includes(s.tlp ?? 'none')) continue;
      if (f.origin && s.origin !== f.origin) continue;
      const when = Date.parse(s.modified ?? s.created ?? '');
      if (f.from !== undefined && !(when >= f.from)) continue;
      if (f.to !== undefined && !(when <= f.to)) continue;
      if (needle && !s.id.toLowerCase().includes(needle) && !(s.name ?? '').toLowerCase().includes(needle))
        continue;
      items.push(s);
    }
    // The cursor is the date_added of the last row looked at: the next page starts below it.
    before = Number(rows[consumed - 1]?.date_added_us);
    if (consumed === rows.length && rows.length < SCAN_BATCH) return { items, next: null };
  }
  return { items, next: before === undefined ? null : String(before) };
}

export async function objectWithRelationships(ctx: WebContext, id: string) {
  const rows = (await baseQuery(ctx)
    .where('o.id', '=', id)
    .orderBy('o.date_added_us', 'desc')
    .execute()) as Row[];
  const row = rows[0];
  if (!row) return undefined;
  const [summary] = await summarise(ctx, [row]);
  const like = `%"${id.replace(/[%_\\]/g, '')}"%`;
  const relRows = (await baseQuery(ctx)
    .where('o.type', 'in', ['relationship', 'sighting'])
    .where(sql<boolean>`o.json like ${like}`)
    .limit(500)
    .execute()) as Row[];
  const rels: { rel: Record<string, unknown>; other: string; direction: 'out' | 'in' }[] = [];
  for (const r of relRows) {
    const o = JSON.parse(r.json) as Record<string, unknown>;
    if (o.type === 'relationship') {
      if (o.source_ref === id) rels.push({ rel: o, other: String(o.target_ref), direction: 'out' });
      else if (o.target_ref === id) rels.push({ rel: o, other: String(o.source_ref), direction: 'in' });
    } else if (o.sighting_of_ref === id) {
      rels.push({ rel: o, other: String(o.where_sighted_refs ?? ''), direction: 'in' });
    }
  }
  const others = [...new Set(rels.map((r) => r.other))];
  const otherRows = others.length
    ? ((await baseQuery(ctx).where('o.id', 'in', others.slice(0, 500)).execute()) as Row[])
    : [];
  const byId = new Map((await summarise(ctx, otherRows)).map((s) => [s.id, s]));
  return {
    object: JSON.parse(row.json) as unknown,
    summary,
    relationships: rels.map((r) => ({
      id: String(r.rel.id),
      type: String(r.rel.type),
      relationship: typeof r.rel.relationship_type === 'string' ? r.rel.relationship_type : 'sighting-of',
      direction: r.direction,
      other: byId.get(r.other) ?? { id: r.other },
    })),
  };
}

export type TlpCounts = Record<TlpLevel | 'none', number>;

/**
 * Objects (latest versions, marking definitions aside) per TLP label, and the newest few. Counting
 * parses every object, so the result is kept until a collection's high-water mark moves.
 */
export function intelOverview(ctx: WebContext) {
  let cache: { key: string; counts: TlpCounts } | undefined;
  return async (recent = 8): Promise<{ byTlp: TlpCounts; recent: ObjectSummary[] }> => {
    const marks = await ctx.database.db
      .selectFrom('stix_collections')
      .select(['seq', 'last_added_us'])
      .execute();
    const key = marks.map((m) => `${m.seq}:${m.last_added_us}`).join(',');
    if (cache?.key !== key) {
      const counts: TlpCounts = { clear: 0, green: 0, amber: 0, 'amber+strict': 0, red: 0, none: 0 };
      // date_added is unique within a collection, so each collection is paged on its own.
      for (const m of marks) {
        let after = -1;
        for (;;) {
          const rows = await ctx.database.db
            .selectFrom('stix_objects')
            .select(['date_added_us', 'json'])
            .where('collection_seq', '=', m.seq)
            .where('latest', '=', 1)
            .where('type', '!=', 'marking-definition')
            .where('date_added_us', '>', after)
            .orderBy('date_added_us')
            .limit(2000)
            .execute();
          if (rows.length === 0) break;
          for (const r of rows) counts[tlpOf(JSON.parse(r.json) as Record<string, unknown>) ?? 'none'] += 1;
          after = Number(rows[rows.length - 1]?.date_added_us);
        }
      }
      cache = { key, counts };
    }
    return { byTlp: { ...cache.counts }, recent: (await search(ctx, { limit: recent })).items };
  };
}
