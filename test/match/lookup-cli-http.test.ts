/**
 * `parley lookup` in-process, and POST /api/lookup on a node's server listening on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openNode, type RunningServer, startServer } from '../../src/app/index.js';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/output.js';
import { loadConfig } from '../../src/core/index.js';
import { AMBER, indicator } from './fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-lookup-'));
const data = path.join(dir, 'node');
after(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const io = memoryIo();
  const code = await main(['node', 'parley', ...args], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
};

const MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f';
const evil = indicator("[domain-name:value = 'evil.example']", {
  object_marking_refs: [AMBER],
  confidence: 90,
  valid_until: '2099-01-01T00:00:00Z',
});
const net = indicator("[ipv4-addr:value ISSUBSET '198.51.100.0/24']");
const hash = indicator(`[file:hashes.MD5 = '${MD5}']`, {
  created_by_ref: 'identity--11111111-1111-4111-8111-111111111111',
});

before(async () => {
  assert.equal((await run('init', '--data', data)).code, 0);
  const bundle = path.join(dir, 'intel.json');
  writeFileSync(
    bundle,
    JSON.stringify({
      type: 'bundle',
      id: 'bundle--00000000-0000-4000-8000-000000000001',
      objects: [evil, net, hash],
    }),
  );
  const r = await run('ingest', bundle, '--data', data);
  assert.equal(r.code, 0, r.err);
});

describe('parley lookup', () => {
  it('types bare values and prints one line per match, or "no match"', async () => {
    const r = await run('lookup', '--data', data, 'EVIL.example', '198.51.100.77', 'good.example', MD5);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines.length, 4);
    assert.match(
      lines[0]!,
      new RegExp(
        `^EVIL\\.example\\t\\(domain-name\\)\\t${evil.id}\\tTLP:AMBER\\torigin=collection:local\\tconfidence=90\\t`,
      ),
    );
    assert.match(lines[1]!, new RegExp(`^198\\.51\\.100\\.77\\t\\(ipv4-addr\\)\\t${net.id}\\tTLP:NONE`));
    assert.equal(lines[2], 'good.example\t(domain-name)\tno match');
    assert.match(lines[3]!, /\(hash MD5\).*origin=identity--1111/);
  });

  it('reads a log file (one per line) and a STIX bundle of observed-data; prints JSON', async () => {
    const log = path.join(dir, 'log.txt');
    writeFileSync(log, '# proxy log\n\nurl:http://x.example/\n198.51.100.1\n');
    const r = await run('lookup', '--data', data, '--file', log, '--json');
    assert.equal(r.code, 0, r.err);
    const results = JSON.parse(r.out) as { value: string; type: string; matches: { id: string }[] }[];
    assert.deepEqual(
      results.map((x) => [x.value, x.type, x.matches.map((m) => m.id)]),
      [
        ['url:http://x.example/', 'url', []],
        ['198.51.100.1', 'ipv4-addr', [net.id]],
      ],
    );
    const od = path.join(dir, 'observed.json');
    writeFileSync(
      od,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--00000000-0000-4000-8000-000000000002',
        objects: [
          { type: 'observed-data', objects: { 0: { type: 'domain-name', value: 'evil.example' } } },
          { type: 'file', id: 'file--00000000-0000-4000-8000-000000000003', hashes: { MD5 } },
        ],
      }),
    );
    const b = await run('lookup', '--data', data, '--file', od, '--json');
    assert.equal(b.code, 0, b.err);
    const rb = JSON.parse(b.out) as { value: string; matches: { id: string }[] }[];
    assert.deepEqual(
      rb.map((x) => [x.value, x.matches.map((m) => m.id)]),
      [
        ['domain-name:evil.example', [evil.id]],
        [`MD5:${MD5}`, [hash.id]],
      ],
    );
  });

  it('--sighting stores a sighting of each matched indicator in the local collection', async () => {
    const r = await run('lookup', '--data', data, '--sighting', 'evil.example', 'nothing.example');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /recorded 1 sighting in "local"/);
    const node = await openNode(loadConfig({ dataDir: data }));
    try {
      const coll = (await node.stix.getCollection('local'))!;
      const rows = await node.stix.query({ collectionId: coll.id, types: ['sighting'], limit: 10 });
      assert.equal(rows.length, 1);
      const s = JSON.parse(rows[0]!.json) as Record<string, unknown>;
      assert.equal(s.sighting_of_ref, evil.id);
      assert.equal(s.count, 1);
    } finally {
      await node.close();
    }
  });

  it('nothing to look up is an error', async () => {
    const r = await run('lookup', '--data', data);
    assert.equal(r.code, 1);
    assert.match(r.err, /nothing to look up/);
  });
});

describe('POST /api/lookup', () => {
  let server: RunningServer;
  let close: () => Promise<void>;
  let token: string;

  before(async () => {
    const t = await run('token', 'create', '--role', 'reader', '--data', data);
    token = t.out.split('\n').pop()!;
    const node = await openNode(loadConfig({ dataDir: data }));
    server = await startServer(node, { host: '127.0.0.1', port: 0 });
    close = async () => {
      await server.close();
      await node.close();
    };
  });
  after(() => close());

  const post = (body: unknown, auth = `Bearer ${token}`) =>
    fetch(`${server.url}/api/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify(body),
    });

  it('answers a batch, and sees indicators ingested after the server started', async () => {
    const res = await post({ values: ['evil.example', '198.51.100.3', 'late.example'] });
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      results: { value: string; matches: { id: string; tlp?: string }[] }[];
    };
    assert.deepEqual(
      body.results.map((r) => r.matches.map((m) => m.id)),
      [[evil.id], [net.id], []],
    );
    assert.equal(body.results[0]!.matches[0]!.tlp, 'amber');

    const late = indicator("[domain-name:value = 'late.example']");
    const f = path.join(dir, 'late.json');
    writeFileSync(
      f,
      JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000004', objects: [late] }),
    );
    assert.equal((await run('ingest', f, '--data', data)).code, 0);
    const again = (await (await post({ values: ['late.example'] })).json()) as typeof body;
    assert.deepEqual(
      again.results[0]!.matches.map((m) => m.id),
      [late.id],
    );
  });

  it('records sightings on request', async () => {
    const res = await post({ values: ['evil.example'], sighting: true });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { sightings: number }).sightings, 1);
  });

  it('refuses callers without credentials, and bodies off the schema', async () => {
    const anon = await post({ values: ['evil.example'] }, '');
    assert.equal(anon.status, 401);
    assert.match(anon.headers.get('www-authenticate') ?? '', /Basic/);
    assert.equal((await post({ values: [] })).status, 400);
    assert.equal((await post({ values: [{}] })).status, 400);
    assert.equal((await post({ sighting: true })).status, 400);
    const tooMany = await post({ values: Array.from({ length: 10_001 }, (_, i) => `v${i}`) });
    assert.equal(tooMany.status, 400);
    const ok = await post({
      values: Array.from({ length: 10_000 }, (_, i) =>
        i < 256 ? `198.51.100.${i}` : `192.0.${i >> 8}.${i & 255}`,
      ),
    });
    assert.equal(ok.status, 200);
    const big = (await ok.json()) as { results: { matches: unknown[] }[] };
    assert.equal(big.results.length, 10_000);
    assert.equal(big.results.filter((r) => r.matches.length > 0).length, 256);
  });
});
