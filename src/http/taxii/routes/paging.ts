/**
 * One page of a date_added-ordered query, shared by objects, manifest and object: ask the store for
 * limit+1 rows to learn `more`, continue from `next` or `added_after`, and set the
 * X-TAXII-Date-Added-First/-Last headers (section 3.4.3) from the rows served.
 */
import type { FastifyReply } from 'fastify';
import type { ObjectQuery, StixStore, StoredObject } from '../../../store/index.js';
import type { TaxiiContext } from '../context.js';
import { type Filters, queryKey } from '../filters.js';
import { TAXII_MEDIA_TYPE } from '../media-types.js';
import { decodeNext, encodeNext } from '../next-token.js';
import type { CachedPage } from '../page-cache.js';

export interface Page {
  rows: StoredObject[];
  more: boolean;
  next?: string;
}

export async function queryPage(
  store: StixStore,
  scope: string,
  collectionId: string,
  f: Filters,
): Promise<Page> {
  const key = queryKey(scope, f);
  const after = f.next !== undefined ? decodeNext(f.next, key) : f.addedAfterUs;
  const q: ObjectQuery = { collectionId, limit: f.limit + 1 };
  if (after !== undefined) q.addedAfterUs = after;
  if (f.ids) q.ids = f.ids;
  if (f.types) q.types = f.types;
  if (f.specVersions) q.specVersions = f.specVersions;
  if (f.versions) q.versions = f.versions;
  const rows = await store.query(q);
  const more = rows.length > f.limit;
  if (more) rows.length = f.limit;
  const last = rows[rows.length - 1];
  return more && last ? { rows, more, next: encodeNext(last.dateAddedUs, key) } : { rows, more };
}

export function pageFromList(rows: StoredObject[], scope: string, f: Filters): Page {
  const key = queryKey(scope, f);
  const after = f.next !== undefined ? decodeNext(f.next, key) : f.addedAfterUs;
  const from = after === undefined ? rows : rows.filter((r) => r.dateAddedUs > after);
  const page = from.slice(0, f.limit);
  const more = from.length > f.limit;
  const last = page[page.length - 1];
  return more && last ? { rows: page, more, next: encodeNext(last.dateAddedUs, key) } : { rows: page, more };
}

export function dateHeaders(reply: FastifyReply, rows: StoredObject[]): void {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last) {
    reply.header('X-TAXII-Date-Added-First', first.dateAdded);
    reply.header('X-TAXII-Date-Added-Last', last.dateAdded);
  }
}

/** `{"more":..,"next":..,"<field>":[...]}` with each item already JSON: stored objects go out byte for byte. */
export function pageJson(p: Page, field: string, items: string[]): string {
  let s = `{"more":${p.more}`;
  if (p.next) s += `,"next":"${p.next}"`;
  if (items.length) s += `,"${field}":[${items.join(',')}]`;
  return `${s}}`;
}

/** A page as sent (body and date headers), from the page cache or from the store. */
export async function cachedPage(
  ctx: TaxiiContext,
  scope: string,
  collectionId: string,
  f: Filters,
  items: (rows: StoredObject[]) => string[],
): Promise<CachedPage> {
  const key = `${scope}|${f.limit}|${f.next ?? ''}|${f.addedAfterUs ?? ''}|${queryKey(scope, f)}`;
  const hit = ctx.pages.get(collectionId, key);
  if (hit) return hit;
  const page = await queryPage(ctx.deps.store, scope, collectionId, f);
  const first = page.rows[0];
  const last = page.rows[page.rows.length - 1];
  const out: CachedPage = {
    body: pageJson(page, 'objects', items(page.rows)),
    ...(first && last ? { first: first.dateAdded, last: last.dateAdded } : {}),
  };
  ctx.pages.put(collectionId, key, out);
  return out;
}

export function sendPage(reply: FastifyReply, p: CachedPage): FastifyReply {
  if (p.first && p.last) {
    reply.header('X-TAXII-Date-Added-First', p.first);
    reply.header('X-TAXII-Date-Added-Last', p.last);
  }
  return reply.type(TAXII_MEDIA_TYPE).send(p.body);
}
