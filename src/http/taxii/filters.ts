/**
 * Query parameters of the TAXII 2.1 objects, manifest, object and versions endpoints (section 3.4):
 * added_after, limit, next, match[id], match[type], match[version], match[spec_version]. Values of
 * one match[] may be comma-separated (section 3.4.2) or repeated.
 */
import { createHash } from 'node:crypto';
import type { VersionFilter } from '../../store/index.js';
import { taxiiError } from './errors.js';
import { parseTimestampUs } from './timestamps.js';

export type Query = Record<string, string | string[] | undefined>;

export interface Filters {
  addedAfterUs?: bigint;
  limit: number;
  next?: string;
  ids?: string[];
  types?: string[];
  specVersions?: string[];
  versions?: VersionFilter;
}

const KNOWN = new Set([
  'added_after',
  'limit',
  'next',
  'match[id]',
  'match[type]',
  'match[version]',
  'match[spec_version]',
]);

const bad = (field: string, why: string) => taxiiError('taxii.bad_filter', 400, `${field} ${why}`, { field });

function list(q: Query, key: string): string[] | undefined {
  const raw = q[key];
  if (raw === undefined) return undefined;
  const out = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim());
  if (out.length === 0 || out.some((v) => v === '')) throw bad(key, 'must not hold empty values');
  return [...new Set(out)];
}

function single(q: Query, key: string): string | undefined {
  const raw = q[key];
  if (Array.isArray(raw)) throw bad(key, 'may be given once');
  return raw;
}

const ID_RE = /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F-]{36}$/;
const TYPE_RE = /^[a-z0-9][a-z0-9-]{1,249}$/;

export interface FilterOptions {
  /** Which filters this endpoint takes (section 5.x tables). */
  allow: Set<string>;
  maxPageSize: number;
  /** match[version] when absent: `last` for objects and manifest (section 3.4.2), none for versions. */
  defaultVersion?: VersionFilter;
}

export function parseFilters(q: Query, opts: FilterOptions): Filters {
  for (const key of Object.keys(q)) {
    if (KNOWN.has(key) && !opts.allow.has(key)) throw bad(key, 'is not supported on this endpoint');
  }
  const f: Filters = { limit: opts.maxPageSize };
  const addedAfter = single(q, 'added_after');
  if (addedAfter !== undefined) f.addedAfterUs = parseTimestampUs(addedAfter, 'added_after');
  const limit = single(q, 'limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!/^\d+$/.test(limit) || n < 1) throw bad('limit', `must be a positive integer, got "${limit}"`);
    // Section 3.4.1: the server may return fewer than asked; it never errs for a large limit.
    f.limit = Math.min(n, opts.maxPageSize);
  }
  const next = single(q, 'next');
  if (next !== undefined) f.next = next;
  const ids = list(q, 'match[id]');
  if (ids) {
    for (const id of ids)
      if (!ID_RE.test(id)) throw bad('match[id]', `holds "${id}", which is not a STIX id`);
    f.ids = ids;
  }
  const types = list(q, 'match[type]');
  if (types) {
    for (const t of types)
      if (!TYPE_RE.test(t)) throw bad('match[type]', `holds "${t}", which is not a STIX type`);
    f.types = types;
  }
  const specs = list(q, 'match[spec_version]');
  if (specs) {
    for (const s of specs) if (!/^\d+\.\d+$/.test(s)) throw bad('match[spec_version]', `holds "${s}"`);
    f.specVersions = specs;
  }
  const versions = list(q, 'match[version]');
  f.versions = versions ? parseVersions(versions) : opts.defaultVersion;
  return f;
}

function parseVersions(values: string[]): VersionFilter {
  if (values.includes('all')) return { kind: 'all' };
  const words = values.filter((v) => v === 'first' || v === 'last');
  const stamps = values.filter((v) => v !== 'first' && v !== 'last');
  if (words.length === 1 && stamps.length === 0) return { kind: words[0] as 'first' | 'last' };
  // The store compares version strings; STIX writes `modified` with milliseconds, a client may
  // not (2016-01-01T00:00:00Z), so each value is also tried in its millisecond spelling.
  const spellings = new Set<string>();
  for (const s of stamps) {
    const us = parseTimestampUs(s, 'match[version]');
    spellings.add(s);
    spellings.add(new Date(Number(us / 1000n)).toISOString());
  }
  // Several values select the union (section 3.4.4): first, last and timestamps in any mix.
  const first = words.includes('first');
  const last = words.includes('last');
  return {
    kind: 'at',
    versions: [...spellings],
    ...(first ? { first } : {}),
    ...(last ? { last } : {}),
  };
}

/**
 * A digest of everything that defines the query except the page position and size, so a `next`
 * token can only continue the query it came from.
 */
export function queryKey(scope: string, f: Filters): string {
  const norm = JSON.stringify([
    scope,
    f.addedAfterUs?.toString() ?? null,
    f.ids ? [...f.ids].sort() : null,
    f.types ? [...f.types].sort() : null,
    f.specVersions ? [...f.specVersions].sort() : null,
    f.versions ?? null,
  ]);
  return createHash('sha256').update(norm).digest('base64url').slice(0, 16);
}
