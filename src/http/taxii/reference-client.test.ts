/**
 * What the OASIS reference client (taxii2-client 2.x, taxii2client/v21 and common.py) expects,
 * replayed over a real socket: it cannot be installed here (no PyPI), so its requests and checks are
 * reproduced as it makes them. Basic auth; Accept `application/taxii+json;version=2.1`; each
 * `;`-token of the Accept must appear in the Content-Type; discovery api_roots joined with urljoin;
 * as_pages: first call without limit (0 is dropped), then `next` with limit = items received;
 * add_objects posts bytes and reads the status at urljoin(collection, "../../status/ID") (no slash);
 * the Status counts must add up and match the lists; TokenAuth sends `Authorization: Token KEY`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Collection } from '../../store/index.js';
import { type Harness, indicator, startHarness } from './test-harness.js';

const ACCEPT = 'application/taxii+json;version=2.1';
let h: Harness;
let origin: string;
let coll: Collection;
const basic = `Basic ${Buffer.from('misp:a long enough password').toString('base64')}`;

before(async () => {
  h = await startHarness({ maxPageSize: 40 });
  await h.ctx.registry.addApiRoot({ name: 'trustgroup1', title: 'Trust group' });
  coll = await h.ctx.registry.addCollection('trustgroup1', { alias: 'hv', title: 'High value' });
  await h.ctx.registry.grant(coll.id, 'sharing', { canRead: true, canWrite: true });
  await h.ctx.principals.addUser('misp', 'sharing', 'a long enough password');
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = h.app.server.address();
  assert.ok(addr && typeof addr === 'object');
  origin = `http://127.0.0.1:${addr.port}`;
});
after(() => h.close());

/** common.py _HTTPConnection.valid_content_type for version 2.1. */
function validContentType(contentType: string, accept: string): boolean {
  const a = accept.replace(/ /g, '').split(';');
  const c = contentType.replace(/ /g, '').split(';');
  return a.every((t) => c.includes(t)) && c[0] === 'application/taxii+json';
}

/** common.py _HTTPConnection.get: raise_for_status, then the Content-Type check. */
async function clientGet(url: string, params: Record<string, string | number> = {}, auth = basic) {
  const q = new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  const res = await fetch(q ? `${url}?${q}` : url, {
    headers: { Accept: ACCEPT, Authorization: auth, 'User-Agent': 'taxii2-client/2.3.0' },
  });
  assert.ok(res.ok, `${url}: ${res.status} ${await res.clone().text()}`);
  const ct = res.headers.get('content-type') ?? '';
  assert.ok(validContentType(ct, ACCEPT), `Content-Type ${ct}`);
  return (await res.json()) as Record<string, unknown>;
}

test('Server -> ApiRoot -> Collection, with Basic auth and the media type check', async () => {
  const discovery = await clientGet(`${origin}/taxii2/`);
  assert.ok(discovery.title);
  const roots = (discovery.api_roots as string[]).map((u) => new URL(u, `${origin}/taxii2/`).toString());
  assert.equal(discovery.default, roots[0]);
  const root = await clientGet(roots[0] as string);
  assert.ok(root.title && (root.versions as string[]).length && root.max_content_length !== undefined);
  const cols = await clientGet(`${roots[0]}collections/`);
  const item = (cols.collections as Record<string, unknown>[])[0] as Record<string, unknown>;
  const collUrl = `${roots[0]}collections/${item.id}/`;
  assert.ok(collUrl.includes(String(item.id)));
  assert.equal(item.can_read, true);
  assert.equal(item.can_write, true);
  const again = await clientGet(collUrl);
  assert.equal(again.id, item.id);
});

test('add_objects: bytes posted, status read at ../../status/ID without a slash, counts consistent', async () => {
  const collUrl = `${origin}/taxii2/trustgroup1/collections/${coll.id}/`;
  const envelope = { objects: Array.from({ length: 100 }, (_, i) => indicator(i)) };
  const res = await fetch(`${collUrl}objects/`, {
    method: 'POST',
    headers: { Accept: ACCEPT, 'Content-Type': ACCEPT, Authorization: basic },
    body: Buffer.from(JSON.stringify(envelope), 'utf8'),
  });
  assert.equal(res.status, 202);
  const posted = (await res.json()) as Record<string, number | string | unknown[]>;
  const statusUrl = new URL(`../../status/${posted.id}`, collUrl).toString();
  assert.ok(!statusUrl.endsWith('/'));
  const s = await clientGet(statusUrl);
  for (const k of ['id', 'status', 'total_count', 'success_count', 'failure_count', 'pending_count'])
    assert.ok(k in s, k);
  const n = (k: string) => s[k] as number;
  assert.equal(n('success_count') + n('pending_count') + n('failure_count'), n('total_count'));
  if (s.successes) assert.equal((s.successes as unknown[]).length, n('success_count'));
  assert.equal(s.status, 'complete');
  assert.equal(n('success_count'), 100);
});

test('as_pages over get_objects and get_manifest: next and more, limit from the first page', async () => {
  const collUrl = `${origin}/taxii2/trustgroup1/collections/${coll.id}/`;
  for (const [path, perRequest] of [
    ['objects/', 0],
    ['objects/', 30],
    ['manifest/', 0],
  ] as const) {
    const ids: string[] = [];
    const filters = { 'match[type]': 'indicator' };
    let env = await clientGet(`${collUrl}${path}`, perRequest ? { ...filters, limit: perRequest } : filters);
    let per: number = perRequest;
    const got = () => ((env.objects ?? []) as { id: string }[]).length;
    for (const o of (env.objects ?? []) as { id: string }[]) ids.push(o.id);
    if (env.more && got() !== per) per = got();
    while (env.more) {
      env = await clientGet(`${collUrl}${path}`, {
        ...filters,
        ...(per ? { limit: per } : {}),
        next: String(env.next ?? ''),
      });
      for (const o of (env.objects ?? []) as { id: string }[]) ids.push(o.id);
    }
    assert.equal(ids.length, 100, `${path} per_request=${perRequest}`);
    assert.equal(new Set(ids).size, 100);
  }
});

test('TokenAuth: Authorization: Token KEY', async () => {
  const { token } = await h.ctx.principals.createToken('sharing');
  const r = await clientGet(`${origin}/taxii2/trustgroup1/collections/`, {}, `Token ${token}`);
  assert.ok(Array.isArray(r.collections));
});
