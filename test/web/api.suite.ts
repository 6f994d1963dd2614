/**
 * The web UI's JSON API (docs/WEB-API.md) on real nodes on 127.0.0.1 (SQLite or PostgreSQL), signed
 * in with a session cookie: agreements (list, show, propose, sign across two nodes), directory
 * (stale flags, add, confirm, publish), peers' reachability, ledger (head, entries, verification run,
 * proof download, gossip), threat intel (search filters and paging, an object's relationships, an
 * ingest job with progress), compliance, and the dashboard. Run by api.sqlite.test.ts / api.postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as wait } from 'node:timers/promises';
import { ManualClock } from '../../src/core/index.js';
import { demoIntel } from '../../src/demo/index.js';
import { Principals } from '../../src/http/auth/index.js';
import { checkProof } from '../../src/ledger/index.js';
import { agreementBetween, type Network, network, type TestNode } from '../network/harness.js';
import { WebClient } from './client.js';

const PW = 'a long password 1';

/** Polls a job until it leaves `running` (background work; bounded, not a deadline). */
async function settle(c: WebClient, url: string) {
  for (let i = 0; i < 200; i++) {
    const r = await c.call('GET', url);
    if (r.body.state !== 'running') return r;
    await wait(50);
  }
  throw new Error(`${url} still running`);
}

export function apiSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`web API (${backend})`, () => {
    const clock = new ManualClock(Date.parse('2026-05-10T10:00:00.000Z'));
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let agr = '';
    let admin: WebClient;
    let adminB: WebClient;

    before(async () => {
      net = network({ backend, clock });
      a = await net.add('arcadia', 'Arcadia');
      b = await net.add('borduria', 'Borduria');
      agr = await agreementBetween(a, [b], 'Bilateral');
      for (const n of [a, b]) {
        const p = new Principals(n.node.database);
        await p.addUser('root', 'admin', PW);
        await p.addUser('dm', 'directory-manager', PW);
        await p.addUser('ana', 'analyst', PW);
      }
      admin = new WebClient(a.url);
      await admin.signIn('root', PW);
      adminB = new WebClient(b.url);
      await adminB.signIn('root', PW);
    });
    after(() => net.close());

    test('agreements: list and show with parties and the deadline table; propose and sign across nodes', async () => {
      const list = await admin.call('GET', '/api/v1/agreements');
      assert.equal(list.status, 200);
      const v = list.body.items.find((x: { id: string }) => x.id === agr);
      assert.equal(v.state, 'in_force');
      assert.deepEqual(
        v.parties.map((p: { node: string; signed: boolean }) => [p.node, p.signed]),
        [
          ['arcadia', true],
          ['borduria', true],
        ],
      );
      assert.ok(v.deadlines.some((d: { urgency: string }) => d.urgency === 'critical'));
      assert.equal((await admin.call('GET', `/api/v1/agreements/${agr}`)).body.title, 'Bilateral');
      assert.equal((await admin.call('GET', `/api/v1/agreements/agr-${'0'.repeat(64)}`)).status, 404);

      const bad = await admin.call('POST', '/api/v1/agreements', { body: { with: ['nobody'] } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.details.field, 'with');
      const p = await admin.call('POST', '/api/v1/agreements', {
        body: { with: ['borduria'], title: 'Second agreement' },
      });
      assert.equal(p.status, 201, p.text);
      assert.equal(p.body.state, 'proposed');
      assert.deepEqual(p.body.latest.missing, ['borduria']);
      const s = await adminB.call('POST', `/api/v1/agreements/${p.body.id}/sign`);
      assert.equal(s.status, 200, s.text);
      assert.equal(s.body.state, 'in_force');
      assert.equal((await admin.call('GET', `/api/v1/agreements/${p.body.id}`)).body.state, 'in_force');
    });

    test('directory: add, publish to the partner, stale flag after the confirm period, confirm', async () => {
      const dm = new WebClient(a.url);
      await dm.signIn('dm', PW);
      const poc = {
        id: 'duty',
        role: 'technical',
        kind: 'desk',
        name: 'Arcadia duty desk',
        channels: ['parley:hotline'],
        languages: ['en'],
        timezone: 'Europe/Vienna',
        hours: '24/7',
      };
      const added = await dm.call('POST', '/api/v1/directory', { body: poc });
      assert.equal(added.status, 201, added.text);
      assert.equal(added.body.confirmed_on, '2026-05-10');
      const badTz = await dm.call('POST', '/api/v1/directory', {
        body: { ...poc, id: 'x', timezone: 'Mars/Base' },
      });
      assert.equal(badTz.status, 400);
      assert.equal(badTz.body.details.field, 'timezone');
      const pub = await dm.call('POST', '/api/v1/directory/publish');
      assert.equal(pub.status, 200);
      assert.ok(pub.body.sent.length >= 1);
      const atB = await adminB.call('GET', '/api/v1/directory');
      const arcadia = atB.body.parties.find((p: { node: string }) => p.node === 'arcadia');
      assert.equal(arcadia.party, 'Arcadia');
      assert.equal(arcadia.pocs[0].stale, false);
      assert.equal(atB.body.parties[0].self, true);
      clock.advance(181 * 86_400_000);
      // Half a year on, the sessions have long expired: sign in again.
      for (const [c, u] of [
        [admin, 'root'],
        [adminB, 'root'],
        [dm, 'dm'],
      ] as const)
        await c.signIn(u, PW);
      const later = await adminB.call('GET', '/api/v1/directory?owner=arcadia');
      assert.equal(later.body.parties[0].pocs[0].stale, true);
      assert.ok(
        later.body.flags.some((f: { kind: string; poc: string }) => f.kind === 'stale' && f.poc === 'duty'),
      );
      assert.equal((await dm.call('POST', '/api/v1/directory/duty/confirm', { body: {} })).status, 200);
      const mine = await dm.call('GET', '/api/v1/directory?owner=arcadia');
      assert.equal(mine.body.parties[0].pocs[0].stale, false);
      assert.equal((await dm.call('POST', '/api/v1/directory/nope/confirm')).status, 404);
    });

    test('peers: reachability from the outbox', async () => {
      const r = await admin.call('GET', '/api/v1/peers');
      assert.equal(r.status, 200);
      const p = r.body.items[0];
      assert.equal(p.node, 'borduria');
      assert.equal(p.party, 'Borduria');
      // Nothing went through the outbox yet: unknown.
      assert.equal(p.reachable, null);
      // Something fails to a peer: unreachable, with the error.
      await a.node.database.transaction((tx) =>
        a.node.outbox.enqueue(tx, [{ peer: 'borduria', type: 'peer.ping', agreement: null, payload: {} }]),
      );
      await a.node.database.db
        .updateTable('outbox')
        .set({ attempts: 1, last_error: 'connect ECONNREFUSED' })
        .where('peer', '=', 'borduria')
        .where('state', '=', 'pending')
        .execute();
      const down = (await admin.call('GET', '/api/v1/peers')).body.items[0];
      assert.equal(down.reachable, false);
      assert.equal(down.lastError, 'connect ECONNREFUSED');
      assert.equal(down.pending, 1);
      await a.node.database.db
        .updateTable('outbox')
        .set({ state: 'delivered', delivered_at: '2026-11-07T10:00:00.000Z' })
        .where('peer', '=', 'borduria')
        .execute();
      const up = (await admin.call('GET', '/api/v1/peers')).body.items[0];
      assert.equal(up.reachable, true);
      assert.equal(up.lastDelivered, '2026-11-07T10:00:00.000Z');
    });

    test('ledger: head, entries, a verification run, the proof of an envelope, gossip', async () => {
      const head = await admin.call('GET', '/api/v1/ledger');
      assert.equal(head.status, 200);
      assert.ok(head.body.size > 0);
      assert.match(head.body.rootHash, /^[0-9a-f]{64}$/);
      assert.equal(head.body.lastVerification, null);
      const entries = await admin.call('GET', '/api/v1/ledger/entries?limit=2');
      assert.equal(entries.body.items.length, 2);
      assert.ok(entries.body.items[0].index > entries.body.items[1].index, 'newest first');
      assert.equal((await admin.call('GET', '/api/v1/ledger/entries?limit=0')).status, 400);

      const run = await admin.call('POST', '/api/v1/ledger/verify');
      assert.equal(run.status, 202);
      const done = await settle(admin, `/api/v1/ledger/verify/${run.body.id}`);
      assert.equal(done.body.state, 'done');
      assert.equal(done.body.ok, true);
      assert.equal(done.body.by, 'user:root');
      assert.equal((await admin.call('GET', '/api/v1/ledger')).body.lastVerification.id, run.body.id);
      assert.equal((await admin.call('GET', '/api/v1/ledger/verify/latest')).body.id, run.body.id);

      const hash = entries.body.items[0].envelopeHash;
      const proof = await admin.call('GET', `/api/v1/ledger/proof/${hash}`);
      assert.equal(proof.status, 200);
      assert.match(proof.headers.get('content-disposition') ?? '', /^attachment; filename="proof-/);
      assert.deepEqual(checkProof(proof.body), { ok: true });
      assert.equal((await admin.call('GET', `/api/v1/ledger/proof/${'0'.repeat(64)}`)).status, 404);
      assert.equal((await admin.call('GET', '/api/v1/ledger/proof/xyz')).status, 400);

      await a.node.gossipWith('borduria', { agreement: agr });
      const g = await admin.call('GET', '/api/v1/ledger/gossip');
      assert.equal(g.body.peers[0].peer, 'borduria');
      assert.ok(g.body.peers[0].latest.treeSize > 0);
      assert.deepEqual(g.body.alerts, []);
    });

    test('intel: ingest a file as a job with progress; search by type, TLP, origin, text, date, paging; relationships', async () => {
      const ana = new WebClient(a.url);
      await ana.signIn('ana', PW);
      const objects = demoIntel({
        node: 'arcadia',
        party: 'Arcadia',
        partners: ['borduria'],
        n: 1,
        at: '2026-05-01T00:00:00.000Z',
      });
      const text = JSON.stringify({
        type: 'bundle',
        id: 'bundle--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061',
        objects,
      });
      const job = await ana.call('POST', '/api/v1/intel/ingest', { raw: text });
      assert.equal(job.status, 202, job.text);
      const done = await settle(ana, `/api/v1/intel/ingest/${job.body.job}`);
      assert.equal(done.body.state, 'done', done.text);
      assert.equal(done.body.totalBytes, Buffer.byteLength(text));
      assert.equal(done.body.bytes, done.body.totalBytes);
      assert.equal(done.body.summary.rejected, 0);
      assert.equal(done.body.summary.stored, objects.length);
      const broken = await ana.call('POST', '/api/v1/intel/ingest', {
        raw: '{"type":"bundle","objects":[{"type":"indicator"}]}',
      });
      const bad = await settle(ana, `/api/v1/intel/ingest/${broken.body.job}`);
      assert.equal(bad.body.summary.rejected, 1);
      assert.equal(
        (await ana.call('POST', '/api/v1/intel/ingest?collection=nope', { raw: text })).status,
        404,
      );
      assert.equal((await ana.call('POST', '/api/v1/intel/ingest', { raw: '' })).status, 400);

      const all = await ana.call('GET', '/api/v1/intel?limit=500');
      assert.equal(all.body.next, null);
      assert.equal(
        all.body.items.length,
        objects.filter((o) => o.type !== 'marking-definition').length,
        'all but the marking definitions',
      );
      const red = await ana.call('GET', '/api/v1/intel?tlp=red&type=indicator');
      assert.equal(red.body.items.length, 3);
      assert.ok(
        red.body.items.every(
          (o: { tlp: string; origin: string }) => o.tlp === 'red' && o.origin === 'arcadia',
        ),
      );
      const amber = await ana.call(
        'GET',
        `/api/v1/intel?tlp=${encodeURIComponent('amber,amber+strict')}&type=malware`,
      );
      assert.deepEqual(amber.body.items.map((o: { tlp: string }) => o.tlp).sort(), ['amber', 'amber+strict']);
      const named = await ana.call('GET', '/api/v1/intel?q=greyheron');
      assert.ok(named.body.items.length >= 1);
      assert.ok(named.body.items.every((o: { name: string }) => /GreyHeron/.test(o.name)));
      assert.equal((await ana.call('GET', '/api/v1/intel?origin=borduria')).body.items.length, 0);
      assert.equal((await ana.call('GET', '/api/v1/intel?to=2026-04-30')).body.items.length, 0);
      assert.equal(
        (await ana.call('GET', '/api/v1/intel?from=2026-05-01&to=2026-05-01')).body.items.length,
        all.body.items.length,
      );
      assert.equal((await ana.call('GET', '/api/v1/intel?tlp=purple')).status, 400);
      // Paging: pages of 7 cover everything once.
      const seen: string[] = [];
      let cursor = '';
      for (let i = 0; i < 20; i++) {
        const page = await ana.call('GET', `/api/v1/intel?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.body.items.map((o: { id: string }) => o.id));
        if (!page.body.next) break;
        cursor = page.body.next;
      }
      assert.equal(seen.length, all.body.items.length);
      assert.equal(new Set(seen).size, seen.length);

      const malware = amber.body.items[0];
      const o = await ana.call('GET', `/api/v1/intel/objects/${malware.id}`);
      assert.equal(o.body.object.id, malware.id);
      assert.equal(o.body.relationships.length, 3);
      assert.ok(
        o.body.relationships.every(
          (r: { relationship: string; direction: string; other: { type: string } }) =>
            r.relationship === 'indicates' && r.direction === 'in' && r.other.type === 'indicator',
        ),
      );
      assert.equal((await ana.call('GET', '/api/v1/intel/objects/malware--nope')).status, 404);
      // A directory manager may not read intel.
      const dm = new WebClient(a.url);
      await dm.signIn('dm', PW);
      assert.equal((await dm.call('GET', '/api/v1/intel')).status, 403);
    });

    test('compliance: the signed report of an agreement for a period; consultations', async () => {
      const r = await admin.call('GET', `/api/v1/compliance/${agr}?period=2026-Q2`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.agreement, agr);
      assert.equal(r.body.period.id, '2026-Q2');
      assert.match(r.body.sig, /^[A-Za-z0-9_-]+$/);
      const bad = await admin.call('GET', `/api/v1/compliance/${agr}?period=2026-Q9`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.details.field, 'period');
      const html = await admin.call('GET', `/api/v1/compliance/${agr}/report.html?period=2026-Q2`);
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      assert.equal((await admin.call('GET', '/api/v1/consultations')).status, 200);
    });

    test('dashboard: one call; sections by role', async () => {
      const d = await admin.call('GET', '/api/v1/dashboard');
      assert.equal(d.status, 200);
      assert.equal(d.body.node.party, 'Arcadia');
      assert.equal(d.body.agreements.inForce, 2);
      assert.ok(Array.isArray(d.body.hotline.awaitingAck));
      assert.equal(d.body.peers[0].node, 'borduria');
      assert.ok(d.body.ledger.lastVerification.ok);
      assert.equal(d.body.ledger.lastGossip.peer, 'borduria');
      assert.ok(d.body.intel.byTlp.red >= 8);
      assert.equal(d.body.compliance.length, 2);
      const dm = new WebClient(a.url);
      await dm.signIn('dm', PW);
      const limited = await dm.call('GET', '/api/v1/dashboard');
      assert.equal(limited.body.hotline, null);
      assert.equal(limited.body.intel, null);
      assert.equal(limited.body.compliance, null);
      assert.equal(limited.body.agreements.inForce, 2);
    });
  });
}
