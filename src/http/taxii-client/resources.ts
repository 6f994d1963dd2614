/**
 * Parsers of the TAXII 2.1 resources a client receives (sections 3.6, 3.7, 4.1-4.3, 5.1-5.8). They
 * check what a client relies on and keep the rest as given; a server that breaks the shape gets a
 * ParleyError naming the resource and the property, not a TypeError deep in the pull loop.
 */
import { ParleyError } from '../../core/index.js';

export interface Discovery {
  title: string;
  description?: string;
  contact?: string;
  default?: string;
  api_roots: string[];
}
export interface ApiRootInfo {
  title: string;
  description?: string;
  versions: string[];
  max_content_length: number;
}
export interface CollectionInfo {
  id: string;
  title: string;
  description?: string;
  alias?: string;
  can_read: boolean;
  can_write: boolean;
  media_types: string[];
}
export interface Envelope {
  more: boolean;
  next?: string;
  objects: Record<string, unknown>[];
}
export interface ManifestRecord {
  id: string;
  date_added: string;
  version: string;
  media_type?: string;
}
export interface Manifest {
  more: boolean;
  next?: string;
  objects: ManifestRecord[];
}
export interface StatusDetail {
  id: string;
  version?: string;
  message?: string;
}
export interface Status {
  id: string;
  status: string;
  request_timestamp?: string;
  total_count: number;
  success_count: number;
  successes: StatusDetail[];
  failure_count: number;
  failures: StatusDetail[];
  pending_count: number;
  pendings: StatusDetail[];
}
export interface TaxiiErrorInfo {
  title: string;
  description?: string;
  error_code?: string;
  http_status?: string;
  details?: Record<string, unknown>;
}

const bad = (resource: string, why: string) =>
  new ParleyError('taxii_client.bad_response', `the server's ${resource} ${why}`, 502, { resource });

function obj(v: unknown, resource: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(resource, 'is not a JSON object');
  return v as Record<string, unknown>;
}
function str(o: Record<string, unknown>, k: string, resource: string): string {
  if (typeof o[k] !== 'string') throw bad(resource, `lacks the string "${k}"`);
  return o[k] as string;
}
function optStr(o: Record<string, unknown>, k: string, resource: string): string | undefined {
  if (o[k] === undefined) return undefined;
  if (typeof o[k] !== 'string') throw bad(resource, `has a non-string "${k}"`);
  return o[k] as string;
}
function bool(o: Record<string, unknown>, k: string, resource: string): boolean {
  if (typeof o[k] !== 'boolean') throw bad(resource, `lacks the boolean "${k}"`);
  return o[k] as boolean;
}
function int(o: Record<string, unknown>, k: string, resource: string): number {
  if (!Number.isInteger(o[k])) throw bad(resource, `lacks the integer "${k}"`);
  return o[k] as number;
}
function list<T>(o: Record<string, unknown>, k: string, resource: string, each: (v: unknown) => T): T[] {
  if (o[k] === undefined) return [];
  if (!Array.isArray(o[k])) throw bad(resource, `has a non-list "${k}"`);
  return (o[k] as unknown[]).map(each);
}
const strings = (resource: string, k: string) => (v: unknown) => {
  if (typeof v !== 'string') throw bad(resource, `has a non-string in "${k}"`);
  return v;
};
const opt = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });

export function parseDiscovery(v: unknown): Discovery {
  const o = obj(v, 'discovery');
  return {
    title: str(o, 'title', 'discovery'),
    ...opt('description', optStr(o, 'description', 'discovery')),
    ...opt('contact', optStr(o, 'contact', 'discovery')),
    ...opt('default', optStr(o, 'default', 'discovery')),
    api_roots: list(o, 'api_roots', 'discovery', strings('discovery', 'api_roots')),
  };
}

export function parseApiRoot(v: unknown): ApiRootInfo {
  const o = obj(v, 'API root');
  return {
    title: str(o, 'title', 'API root'),
    ...opt('description', optStr(o, 'description', 'API root')),
    versions: list(o, 'versions', 'API root', strings('API root', 'versions')),
    max_content_length: int(o, 'max_content_length', 'API root'),
  };
}

export function parseCollection(v: unknown): CollectionInfo {
  const o = obj(v, 'collection');
  return {
    id: str(o, 'id', 'collection'),
    title: str(o, 'title', 'collection'),
    ...opt('description', optStr(o, 'description', 'collection')),
    ...opt('alias', optStr(o, 'alias', 'collection')),
    can_read: bool(o, 'can_read', 'collection'),
    can_write: bool(o, 'can_write', 'collection'),
    media_types: list(o, 'media_types', 'collection', strings('collection', 'media_types')),
  };
}

export function parseCollections(v: unknown): CollectionInfo[] {
  return list(obj(v, 'collections'), 'collections', 'collections', parseCollection);
}

function paged(v: unknown, resource: string) {
  const o = obj(v, resource);
  const more = o.more === undefined ? false : bool(o, 'more', resource);
  return { o, more, ...opt('next', optStr(o, 'next', resource)) };
}

export function parseEnvelope(v: unknown): Envelope {
  const { o, ...p } = paged(v, 'envelope');
  return { ...p, objects: list(o, 'objects', 'envelope', (x) => obj(x, 'envelope object')) };
}

export function parseManifest(v: unknown): Manifest {
  const { o, ...p } = paged(v, 'manifest');
  return {
    ...p,
    objects: list(o, 'objects', 'manifest', (x) => {
      const r = obj(x, 'manifest record');
      // date_added is kept verbatim: some servers send odd fractions (e.g. "03:04:051Z").
      return {
        id: str(r, 'id', 'manifest record'),
        date_added: str(r, 'date_added', 'manifest record'),
        version: str(r, 'version', 'manifest record'),
        ...opt('media_type', optStr(r, 'media_type', 'manifest record')),
      };
    }),
  };
}

export function parseVersions(v: unknown): { more: boolean; next?: string; versions: string[] } {
  const { o, ...p } = paged(v, 'versions');
  return { ...p, versions: list(o, 'versions', 'versions', strings('versions', 'versions')) };
}

const detail = (x: unknown): StatusDetail => {
  const r = obj(x, 'status detail');
  return {
    id: str(r, 'id', 'status detail'),
    ...opt('version', optStr(r, 'version', 'status detail')),
    ...opt('message', optStr(r, 'message', 'status detail')),
  };
};

export function parseStatus(v: unknown): Status {
  const o = obj(v, 'status');
  const s: Status = {
    id: str(o, 'id', 'status'),
    status: str(o, 'status', 'status'),
    ...opt('request_timestamp', optStr(o, 'request_timestamp', 'status')),
    total_count: int(o, 'total_count', 'status'),
    success_count: int(o, 'success_count', 'status'),
    successes: list(o, 'successes', 'status', detail),
    failure_count: int(o, 'failure_count', 'status'),
    failures: list(o, 'failures', 'status', detail),
    pending_count: int(o, 'pending_count', 'status'),
    pendings: list(o, 'pendings', 'status', detail),
  };
  if (s.success_count + s.failure_count + s.pending_count !== s.total_count) {
    throw bad(
      'status',
      `counts do not add up: ${s.success_count} + ${s.failure_count} + ${s.pending_count} != ${s.total_count}`,
    );
  }
  return s;
}

/** A TAXII error message, or undefined when the body is not one. */
export function parseError(v: unknown): TaxiiErrorInfo | undefined {
  if (!v || typeof v !== 'object' || typeof (v as { title?: unknown }).title !== 'string') return undefined;
  return v as TaxiiErrorInfo;
}
