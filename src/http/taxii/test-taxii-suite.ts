/**
 * Test support for the HTTP-level TAXII suite (taxii-http.contract.ts): one harness for the whole
 * suite, with an API root `api1` holding three collections of different access, a root `small`
 * with a small max_content_length, a user for Basic authentication and seven object versions in
 * `shared`; and the request and assertion helpers the case groups share. The cases run in order
 * on this one state (a later group sees what an earlier one wrote).
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Collection } from '../../store/index.js';
import { TAXII_MEDIA_TYPE } from './media-types.js';
import { type Backend, type Harness, indicator, startHarness } from './test-harness.js';

const T = TAXII_MEDIA_TYPE;

/** The suite's state, set by its `before` hook: read the fields inside tests, not when declaring them. */
export class TaxiiSuite {
  h!: Harness;
  /** reader: read; writer: read+write */
  shared!: Collection;
  /** writer: write only */
  dropbox!: Collection;
  /** nobody but admin */
  secret!: Collection;
  readonly base = '/taxii2/api1';

  constructor(readonly backend: Backend) {}

  readonly get = (url: string, token = this.h.tokens.admin, headers: Record<string, string> = {}) =>
    this.h.app.inject({
      method: 'GET',
      url,
      headers: { accept: T, authorization: `Bearer ${token}`, ...headers },
    });
  readonly post = (
    url: string,
    body: unknown,
    token = this.h.tokens.admin,
    headers: Record<string, string> = {},
  ) =>
    this.h.app.inject({
      method: 'POST',
      url,
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { accept: T, 'content-type': T, authorization: `Bearer ${token}`, ...headers },
    });
  readonly objectsOf = (r: LightMyRequestResponse) =>
    (r.json().objects ?? []) as ({ id: string } & Record<string, string>)[];
  readonly errorOf = (r: LightMyRequestResponse, status: number, code?: string) => {
    assert.equal(r.statusCode, status, r.body);
    assert.equal(r.headers['content-type'], T);
    const e = r.json();
    assert.equal(typeof e.title, 'string');
    assert.equal(e.http_status, String(status));
    if (code) assert.equal(e.error_code, code);
    return e;
  };
}

/** Registers the suite's before and after hooks in the enclosing describe; returns its state. */
export function setUpTaxiiSuite(backend: Backend): TaxiiSuite {
  const s = new TaxiiSuite(backend);
  before(async () => {
    s.h = await startHarness({ backend, maxPageSize: 50 });
    const reg = s.h.ctx.registry;
    await reg.addApiRoot({ name: 'api1', title: 'First root', description: 'general' });
    await reg.addApiRoot({
      name: 'small',
      title: 'Small bodies',
      maxContentLength: 2048,
      isDefault: false,
    });
    s.shared = await reg.addCollection('api1', {
      alias: 'shared',
      title: 'Shared',
      description: 'both ways',
    });
    s.dropbox = await reg.addCollection('api1', { alias: 'dropbox', title: 'Dropbox' });
    s.secret = await reg.addCollection('api1', { alias: 'secret', title: 'Secret' });
    const smallColl = await reg.addCollection('small', { alias: 'small-c', title: 'Small' });
    await reg.grant(s.shared.id, 'reader', { canRead: true, canWrite: false });
    await reg.grant(s.shared.id, 'writer', { canRead: true, canWrite: true });
    await reg.grant(s.dropbox.id, 'writer', { canRead: false, canWrite: true });
    await reg.grant(smallColl.id, 'writer', { canRead: true, canWrite: true });
    await s.h.ctx.principals.addUser('alice', 'reader', 'correct horse battery');
    // Three versions of object 1, one each of 2..5; object 5 is spec 2.1 too but a different type.
    const objs = [
      indicator(1, '2026-01-01T00:00:00.000Z'),
      indicator(1, '2026-02-01T00:00:00.000Z'),
      indicator(2),
      indicator(3),
      indicator(1, '2026-03-01T00:00:00.000Z'),
      indicator(4),
      {
        type: 'malware',
        spec_version: '2.1',
        id: 'malware--00000000-0000-4000-8000-000000000005',
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        name: 'm',
        is_family: false,
      },
    ];
    const r = await s.post(`${s.base}/collections/${s.shared.id}/objects/`, { objects: objs });
    assert.equal(r.statusCode, 202, r.body);
    assert.equal(r.json().success_count, 7);
  });
  after(() => s.h.close());
  return s;
}
