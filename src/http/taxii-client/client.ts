/**
 * A TAXII 2.1 client over fetch. Sends `Accept: application/taxii+json;version=2.1` (section 1.6.8)
 * and checks the answer's media type; turns TAXII error messages into ParleyErrors that quote the
 * server's title and description.
 */
import { type Clock, ParleyError, systemClock } from '../../core/index.js';
import {
  type ApiRootInfo,
  type CollectionInfo,
  type Discovery,
  type Envelope,
  type Manifest,
  parseApiRoot,
  parseCollection,
  parseCollections,
  parseDiscovery,
  parseEnvelope,
  parseError,
  parseManifest,
  parseStatus,
  parseVersions,
  type Status,
} from './resources.js';

export const TAXII_21 = 'application/taxii+json;version=2.1';

export type ClientAuth = { user: string; password: string } | { token: string } | undefined;

export interface ClientOptions {
  auth?: ClientAuth;
  fetch?: typeof fetch;
  timeoutMs?: number;
  clock?: Clock;
}

/** Filters of section 3.4, as the client sends them. */
export interface ObjectFilters {
  added_after?: string;
  limit?: number;
  next?: string;
  'match[id]'?: string[];
  'match[type]'?: string[];
  'match[version]'?: string[];
  'match[spec_version]'?: string[];
}

export interface Paged<T> {
  body: T;
  /** X-TAXII-Date-Added-First / -Last (section 3.4.3), when the server sent them. */
  dateAddedFirst?: string;
  dateAddedLast?: string;
}

/** Joins a base URL ending in `/` with a path, keeping the trailing slash TAXII URLs carry. */
export const join = (base: string, ...parts: string[]): string =>
  (base.endsWith('/') ? base : `${base}/`) + parts.map((p) => `${encodeURIComponent(p)}/`).join('');

export class TaxiiClient {
  private readonly fetchFn: typeof fetch;
  private readonly clock: Clock;

  constructor(private readonly opts: ClientOptions = {}) {
    this.fetchFn = opts.fetch ?? fetch;
    this.clock = opts.clock ?? systemClock;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { accept: TAXII_21, ...extra };
    const a = this.opts.auth;
    if (a && 'token' in a) h.authorization = `Bearer ${a.token}`;
    else if (a)
      h.authorization = `Basic ${Buffer.from(`${a.user}:${a.password}`, 'utf8').toString('base64')}`;
    return h;
  }

  /** One request; returns the parsed JSON and the response headers, or throws a ParleyError. */
  async request(method: string, url: string, body?: unknown): Promise<{ json: unknown; headers: Headers }> {
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': TAXII_21 }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
      });
    } catch (e) {
      throw new ParleyError(
        'taxii_client.unreachable',
        `${method} ${url} failed: ${(e as Error).message}`,
        502,
        { url },
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const err = parseError(json);
      const what = err ? `${err.title}${err.description ? `: ${err.description}` : ''}` : res.statusText;
      throw new ParleyError(
        'taxii_client.http_error',
        `${method} ${url} answered ${res.status} ${what}`,
        res.status,
        {
          url,
          status: res.status,
          ...(err?.error_code ? { error_code: err.error_code } : {}),
        },
      );
    }
    const ct = (res.headers.get('content-type') ?? '').replace(/\s/g, '').toLowerCase();
    if (text && !ct.startsWith('application/taxii+json')) {
      throw new ParleyError(
        'taxii_client.bad_media_type',
        `${method} ${url} answered Content-Type "${ct}", not ${TAXII_21}`,
        502,
        {
          url,
        },
      );
    }
    if (text && json === undefined) {
      throw new ParleyError(
        'taxii_client.bad_response',
        `${method} ${url} answered a body that is not JSON`,
        502,
        { url },
      );
    }
    return { json, headers: res.headers };
  }

  async discovery(url: string): Promise<Discovery> {
    return parseDiscovery((await this.request('GET', url)).json);
  }

  async apiRoot(rootUrl: string): Promise<ApiRootInfo> {
    return parseApiRoot((await this.request('GET', join(rootUrl))).json);
  }

  async collections(rootUrl: string): Promise<CollectionInfo[]> {
    return parseCollections((await this.request('GET', join(rootUrl, 'collections'))).json);
  }

  async collection(rootUrl: string, id: string): Promise<CollectionInfo> {
    return parseCollection((await this.request('GET', join(rootUrl, 'collections', id))).json);
  }

  async getObjects(rootUrl: string, collectionId: string, f: ObjectFilters = {}): Promise<Paged<Envelope>> {
    const r = await this.request('GET', withQuery(join(rootUrl, 'collections', collectionId, 'objects'), f));
    return paged(parseEnvelope(r.json ?? {}), r.headers);
  }

  async manifest(rootUrl: string, collectionId: string, f: ObjectFilters = {}): Promise<Paged<Manifest>> {
    const r = await this.request('GET', withQuery(join(rootUrl, 'collections', collectionId, 'manifest'), f));
    return paged(parseManifest(r.json ?? {}), r.headers);
  }

  async getObject(
    rootUrl: string,
    collectionId: string,
    id: string,
    f: ObjectFilters = {},
  ): Promise<Paged<Envelope>> {
    const r = await this.request(
      'GET',
      withQuery(join(rootUrl, 'collections', collectionId, 'objects', id), f),
    );
    return paged(parseEnvelope(r.json ?? {}), r.headers);
  }

  async versions(rootUrl: string, collectionId: string, id: string, f: ObjectFilters = {}) {
    const r = await this.request(
      'GET',
      withQuery(join(rootUrl, 'collections', collectionId, 'objects', id, 'versions'), f),
    );
    return paged(parseVersions(r.json ?? {}), r.headers);
  }

  async deleteObject(
    rootUrl: string,
    collectionId: string,
    id: string,
    f: ObjectFilters = {},
  ): Promise<void> {
    await this.request('DELETE', withQuery(join(rootUrl, 'collections', collectionId, 'objects', id), f));
  }

  async addObjects(rootUrl: string, collectionId: string, objects: unknown[]): Promise<Status> {
    const r = await this.request('POST', join(rootUrl, 'collections', collectionId, 'objects'), { objects });
    return parseStatus(r.json);
  }

  async status(rootUrl: string, statusId: string): Promise<Status> {
    return parseStatus((await this.request('GET', join(rootUrl, 'status', statusId))).json);
  }

  /** Polls a status until it is complete, backing off from pollMs up to 2 s between polls. */
  async waitForStatus(
    rootUrl: string,
    s: Status,
    opts: { pollMs?: number; timeoutMs?: number } = {},
  ): Promise<Status> {
    const deadline = this.clock.now() + (opts.timeoutMs ?? 10 * 60_000);
    let wait = opts.pollMs ?? 50;
    let cur = s;
    while (cur.status !== 'complete') {
      if (this.clock.now() > deadline) {
        throw new ParleyError(
          'taxii_client.status_timeout',
          `status ${s.id} still ${cur.status} after waiting`,
          504,
          {
            status_id: s.id,
          },
        );
      }
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * 2, 2000);
      cur = await this.status(rootUrl, s.id);
    }
    return cur;
  }
}

function withQuery(url: string, f: ObjectFilters): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `${url}?${s}` : url;
}

function paged<T>(body: T, h: Headers): Paged<T> {
  const first = h.get('x-taxii-date-added-first');
  const last = h.get('x-taxii-date-added-last');
  return { body, ...(first ? { dateAddedFirst: first } : {}), ...(last ? { dateAddedLast: last } : {}) };
}
