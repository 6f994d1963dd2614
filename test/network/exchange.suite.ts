/**
 * The CERT-to-CERT link between three real nodes on 127.0.0.1 (A, B, C under one agreement):
 * objects from A reach B and C exactly once, an empty sync costs nothing (push) or one small round
 * trip (pull), versions and revocations flow, TLP:AMBER goes only to the recipients named, every
 * batch is in both ledgers with a receipt, received objects are served over TAXII, and a peer
 * stopped while A adds 5,000 objects catches up after restart without duplicates.
 * Run by exchange.sqlite.test.ts and exchange.postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Node, openNode, type RunningServer, startServer } from '../../src/app/index.js';
import { loadConfig } from '../../src/core/index.js';
import { EXCHANGE_TYPES, inboundAlias } from '../../src/exchange/index.js';
import { withSharing } from '../../src/exchange/policy/index.js';
import { Principals } from '../../src/http/auth/index.js';
import { TAXII_MEDIA_TYPE } from '../../src/http/taxii/index.js';
import { ingest } from '../../src/intel/index.js';
import { checkReceipt } from '../../src/ledger/index.js';
import { partyFrom } from '../../src/pact/index.js';
import { defaultValidator } from '../../src/stix/index.js';
import { agreementBetween, cli, type Network, network, peer, type TestNode } from './harness.js';

const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

function indicator(i: number, modified = '2026-01-01T00:00:00.000Z', extra: Record<string, unknown> = {}) {
  const hex = i.toString(16).padStart(12, '0');
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${hex}`,
    created: '2026-01-01T00:00:00.000Z',
    modified,
    name: `indicator ${i}`,
    pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00.000Z',
    object_marking_refs: [GREEN],
    ...extra,
  };
}

async function put(n: Node, objects: Record<string, unknown>[]): Promise<void> {
  const bundle = JSON.stringify({
    type: 'bundle',
    id: 'bundle--00000000-0000-4000-8000-000000000001',
    objects,
  });
  const s = await ingest(
    { database: n.database, validator: defaultValidator() },
    (async function* () {
      yield bundle;
    })(),
    { collection: 'local', worker: 'never' },
  );
  assert.equal(s.rejected, 0, JSON.stringify(s.rejections.slice(0, 3)));
}

const countOf = async (
  n: Node,
  table: 'ledger_entries' | 'outbox' | 'exchange_provenance' | 'exchange_grants',
) =>
  Number(
    (
      await n.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function received(n: Node, from: string): Promise<{ versions: number; objects: number }> {
  const c = await n.stix.getCollection(inboundAlias(from));
  return c ? n.stix.count(c.id) : { versions: 0, objects: 0 };
}

/**
 * Resolves when `n`'s outbox next settles an intel batch to `peerNode` as delivered; fails after
 * 20 s (nothing else would send it: the poll is stopped).
 */
function nextDelivery(n: Node, peerNode: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    setTimeout(() => {
      if (!done) reject(new Error(`nothing was delivered to ${peerNode}`));
      done = true;
    }, 20_000).unref();
    n.outbox.onSettled(EXCHANGE_TYPES.batch, async (_tx, item) => {
      if (done || item.peer !== peerNode || item.state !== 'delivered') return;
      done = true;
      setImmediate(resolve);
    });
  });
}

export function exchangeSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`what is ingested goes out at once, without the poll (${backend})`, () => {
    let net: Network;
    let a: TestNode;
    let b: TestNode;

    before(async () => {
      net = network({ backend });
      a = await net.add('trig-a');
      b = await net.add('trig-b');
      await peer(a, b);
      await peer(b, a);
      const p = await a.node.peer.pacts.propose({
        with: [partyFrom((await a.node.peer.peers.get('trig-b'))!)],
        terms: { sharing: { default_tlp: 'TLP:GREEN' } },
      });
      await b.node.peer.pacts.sign(p.id);
      // No poll: only the hooks can make A send anything.
      a.node.exchange.stop();
    });
    after(() => net.close());

    const held = async (id: string) => {
      const c = await b.node.stix.getCollection(inboundAlias('trig-a'));
      return c ? (await b.node.stix.versions(c.id, id)).length : 0;
    };

    test('a TAXII POST into the shared collection', async () => {
      const { token } = await new Principals(a.node.database).createToken('admin', 'a local MISP');
      const o = indicator(100);
      const delivered = nextDelivery(a.node, 'trig-b');
      const res = await fetch(`${a.url}/taxii2/parley/collections/local/objects/`, {
        method: 'POST',
        headers: {
          accept: TAXII_MEDIA_TYPE,
          'content-type': TAXII_MEDIA_TYPE,
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ objects: [o] }),
      });
      assert.equal(res.status, 202, await res.clone().text());
      await delivered;
      assert.equal(await held(o.id), 1);
    });

    test('a sighting recorded by a lookup', async () => {
      const { token } = await new Principals(a.node.database).createToken('reader', 'a SOC tool');
      const delivered = nextDelivery(a.node, 'trig-b');
      const res = await fetch(`${a.url}/api/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ values: ['10.0.0.100'], sighting: true }),
      });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(((await res.json()) as { sightings: number }).sightings, 1);
      await delivered;
      const c = (await b.node.stix.getCollection(inboundAlias('trig-a')))!;
      const got = await b.node.stix.query({ collectionId: c.id, types: ['sighting'], limit: 10 });
      assert.equal(got.length, 1);
      assert.equal(JSON.parse(got[0]!.json).sighting_of_ref, indicator(100).id);
    });

    test('parley ingest queues the push at once; the running server sends it', async () => {
      const o = indicator(101);
      const file = path.join(a.data, 'one.json');
      writeFileSync(
        file,
        JSON.stringify({ type: 'bundle', id: 'bundle--00000000-0000-4000-8000-000000000002', objects: [o] }),
      );
      const delivered = nextDelivery(a.node, 'trig-b');
      const r = await cli(a, 'ingest', file);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, /queued for 1 partner feed/);
      await delivered;
      assert.equal(await held(o.id), 1);
    });
  });

  describe(`parley exchange status, sync, pull (${backend})`, () => {
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let agr = '';

    before(async () => {
      net = network({ backend });
      a = await net.add('cli-a');
      b = await net.add('cli-b');
      agr = await agreementBetween(a, [b], 'CLI');
      // Only the commands under test send: no poll, no background worker at A.
      a.node.exchange.stop();
      await a.node.outbox.stop();
    });
    after(() => net.close());

    test('status shows what waits, sync sends it with receipts, pull finds nothing more', async () => {
      await put(
        a.node,
        Array.from({ length: 3 }, (_, i) => indicator(20_000 + i)),
      );
      let r = await cli(a, 'exchange', 'status', '--json');
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), [
        { peer: 'cli-b', agreement: agr, waiting: 3, queued: 0, lastSent: null, received: 0 },
      ]);
      r = await cli(a, 'exchange', 'sync', '--peer', 'cli-b');
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /queued 1 feed\(s\): 1 batch\(es\) delivered with receipts/);
      assert.deepEqual(await received(b.node, 'cli-a'), { versions: 3, objects: 3 });
      r = await cli(a, 'exchange', 'status');
      assert.match(
        r.out,
        new RegExp(`^cli-b  agreement ${agr}  waiting 0  queued 0  last acknowledged 20\\d\\d-`),
      );
      r = await cli(b, 'exchange', 'status', '--peer', 'cli-a');
      assert.match(r.out, /received 3$/);
      r = await cli(b, 'exchange', 'pull', '--peer', 'cli-a');
      assert.equal(r.code, 0, r.err);
      assert.equal(r.out, `cli-a  agreement ${agr}: nothing new`);
      r = await cli(b, 'exchange', 'pull', '--peer', 'nobody');
      assert.equal(r.code, 1);
      assert.match(r.err, /no agreement in force with nobody/);
      r = await cli(b, 'exchange', 'pull');
      assert.notEqual(r.code, 0, 'pull needs --peer');
    });
  });

  describe(`a grant from the origin widens sharing (${backend})`, () => {
    // One agreement A-B-C. A shares an AMBER object with B only, then grants B to pass it to C.
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let c: TestNode;
    let agr = '';
    const amber = withSharing(indicator(9000, '2026-01-01T00:00:00.000Z', { object_marking_refs: [AMBER] }), {
      shareWith: ['grant-b'],
    });

    before(async () => {
      net = network({ backend });
      a = await net.add('grant-a');
      b = await net.add('grant-b');
      c = await net.add('grant-c');
      agr = await agreementBetween(a, [b, c], 'Grants');
      for (const [n, id] of [
        [a, 'a-duty'],
        [b, 'b-duty'],
        [c, 'c-duty'],
      ] as const) {
        await n.node.peer.directory.add({
          id,
          role: 'technical',
          kind: 'desk',
          name: `${id} desk`,
          channels: ['parley:hotline'],
          languages: ['en'],
          timezone: 'UTC',
          hours: '24/7',
        });
        await n.node.peer.directory.publish();
      }
      for (const n of [a, b, c]) n.node.exchange.stop();
      await flush();
    });
    after(() => net.close());

    const flush = async () => {
      for (let i = 0; i < 2; i++) for (const n of [a, b, c]) await n.node.outbox.pass();
    };
    const inC = async () => {
      const coll = await c.node.stix.getCollection(inboundAlias('grant-b'));
      return coll ? (await c.node.stix.versions(coll.id, amber.id as string)).length : 0;
    };

    test('without a grant B keeps it; with the hotline grant from A, B relays it to C (under the same agreement), never back', async () => {
      await put(a.node, [amber]);
      await a.node.exchange.sync();
      assert.deepEqual(await received(b.node, 'grant-a'), { versions: 1, objects: 1 });
      assert.deepEqual(await received(c.node, 'grant-a'), { versions: 0, objects: 0 });
      await b.node.exchange.sync();
      assert.equal(await inC(), 0, 'AMBER stays at B without a grant');

      const perm = { object_refs: [amber.id as string], share_with: ['grant-c'], tlp: 'TLP:AMBER' as const };
      const ask = await b.node.hotline.send({
        agreement: agr,
        kind: 'permission-request',
        recipients: ['grant-a'],
        urgency: 'medium',
        channel: 'technical',
        subject: 'May we pass this on to C?',
        permission: perm,
      });
      await flush();
      await a.node.hotline.send({
        agreement: agr,
        kind: 'permission-grant',
        recipients: ['grant-b'],
        urgency: 'medium',
        channel: 'technical',
        thread: ask.thread,
        in_reply_to: ask.id,
        subject: 'Granted',
        permission: { ...perm, granted: true },
      });
      await flush();
      const held = await b.node.database.db.selectFrom('exchange_grants').selectAll().execute();
      assert.deepEqual(
        held.map((g) => [g.object_id, g.granted_by, JSON.parse(g.share_with)]),
        [[amber.id, 'grant-a', ['grant-c']]],
      );
      await b.node.exchange.sync();
      assert.equal(await inC(), 1, 'relayed by B on the strength of the grant');
      const prov = await c.node.database.db.selectFrom('exchange_provenance').selectAll().execute();
      assert.deepEqual(
        prov.map((r) => [r.object_id, r.origin, r.received_from, r.agreement]),
        [[amber.id, 'grant-a', 'grant-b', agr]],
      );
      // Nothing loops: C holds no grant of its own; B never sends it back to A.
      for (const n of [c.node, b.node, a.node]) assert.equal((await n.exchange.sync()).delivered, 0);
      assert.equal(await countOf(a.node, 'exchange_provenance'), 0);
    });

    test('a grant is held only from the node that signed the envelope carrying it', async () => {
      const forged = {
        id: 'msg--forged',
        grantedBy: 'grant-a',
        agreement: agr,
        objectRefs: [amber.id as string],
        shareWith: ['grant-c'],
        tlp: 'TLP:AMBER',
      };
      await assert.rejects(c.node.exchange.addGrant(forged, { from: 'grant-b' }), {
        code: 'exchange.grant_not_signed',
      });
      await assert.rejects(c.node.exchange.addGrant({ ...forged, tlp: 'TLP:PURPLE' }, { from: 'grant-a' }), {
        code: 'exchange.bad_grant',
      });
      await assert.rejects(
        c.node.exchange.addGrant({ ...forged, objectRefs: ['nope'] }, { from: 'grant-a' }),
        {
          code: 'exchange.bad_grant',
        },
      );
      assert.equal(await countOf(c.node, 'exchange_grants'), 0);
    });
  });

  describe(`relaying across agreements (${backend})`, () => {
    // A-B under agreement X, B-C under agreement Y: C learns A's objects only through B.
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let c: TestNode;

    before(async () => {
      net = network({ backend });
      a = await net.add('relay-a');
      b = await net.add('relay-b');
      c = await net.add('relay-c');
      for (const [x, y] of [
        [a, b],
        [b, a],
        [b, c],
        [c, b],
      ] as const)
        await peer(x, y);
      const agree = async (x: TestNode, y: TestNode) => {
        const p = await x.node.peer.pacts.propose({
          with: [partyFrom((await x.node.peer.peers.get(y.name))!)],
          terms: { sharing: { default_tlp: 'TLP:GREEN' } },
        });
        await y.node.peer.pacts.sign(p.id);
      };
      await agree(a, b);
      await agree(b, c);
    });
    after(() => net.close());

    test('GREEN goes on with its origin; AMBER and agreement defaults stay; nothing comes back', async () => {
      const green = indicator(1);
      const amber = withSharing(indicator(2, '2026-01-01T00:00:00.000Z', { object_marking_refs: [AMBER] }), {
        shareWith: ['relay-b'],
      });
      const unmarked = indicator(3, '2026-01-01T00:00:00.000Z', { object_marking_refs: undefined });
      await put(a.node, [green, amber, unmarked]);
      await a.node.exchange.sync();
      assert.deepEqual(await received(b.node, 'relay-a'), { versions: 3, objects: 3 });
      await b.node.exchange.sync();
      const inC = (await c.node.stix.getCollection(inboundAlias('relay-b')))!;
      const held = await c.node.stix.query({ collectionId: inC.id, limit: 10 });
      assert.deepEqual(
        held.map((o) => o.id),
        [green.id],
      );
      const prov = await c.node.database.db.selectFrom('exchange_provenance').selectAll().execute();
      assert.deepEqual(
        prov.map((r) => [r.object_id, r.origin, r.received_from]),
        [[green.id, 'relay-a', 'relay-b']],
      );
      // Nothing loops: C has nobody to pass it to, B never returns it to A.
      for (const n of [c.node, b.node, a.node]) assert.equal((await n.exchange.sync()).delivered, 0);
      assert.equal(await countOf(a.node, 'exchange_provenance'), 0);
      // A new version takes the same road.
      await put(a.node, [indicator(1, '2026-02-01T00:00:00.000Z')]);
      await a.node.exchange.sync();
      await b.node.exchange.sync();
      const v = await c.node.stix.versions(inC.id, green.id);
      assert.deepEqual(
        v.map((x) => [x.version, x.latest]),
        [
          ['2026-01-01T00:00:00.000Z', false],
          ['2026-02-01T00:00:00.000Z', true],
        ],
      );
    });
  });

  describe(`threat-intel exchange between three nodes (${backend})`, () => {
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let c: TestNode;
    /** C after its restart (the harness closes the first one). */
    let c2: { node: Node; server: RunningServer } | undefined;
    let agreement = '';

    before(async () => {
      net = network({ backend });
      a = await net.add('cert-a');
      b = await net.add('cert-b');
      c = await net.add('cert-c');
      for (const [x, y] of [
        [a, b],
        [b, a],
        [a, c],
        [c, a],
        [b, c],
        [c, b],
      ] as const)
        await peer(x, y);
      const party = async (x: TestNode, y: TestNode) => partyFrom((await x.node.peer.peers.get(y.name))!);
      const p = await a.node.peer.pacts.propose({
        with: [await party(a, b), await party(a, c)],
        terms: { title: 'A-B-C threat intel', sharing: { default_tlp: null } },
      });
      agreement = p.id;
      await b.node.peer.pacts.sign(agreement);
      await c.node.peer.pacts.sign(agreement);
      assert.equal((await a.node.peer.pacts.show(agreement)).state, 'in_force');
    });
    after(async () => {
      if (c2) {
        await c2.server.close();
        await c2.node.close();
      }
      await net.close();
    });

    const C = () => c2?.node ?? c.node;

    test('triangle: 1,000 objects from A arrive exactly once at B and at C, in both ledgers with receipts', async () => {
      await put(
        a.node,
        Array.from({ length: 1000 }, (_, i) => indicator(i)),
      );
      const ledgerA = await countOf(a.node, 'ledger_entries');
      const r = await a.node.exchange.sync();
      assert.equal(r.queued, 2);
      assert.deepEqual(await received(b.node, 'cert-a'), { versions: 1000, objects: 1000 });
      assert.deepEqual(await received(c.node, 'cert-a'), { versions: 1000, objects: 1000 });
      // B and C relay nothing: the origin is a party of the only agreement. (Their cursors move past
      // what they received without a message; after that they have nothing to look at.)
      for (const n of [b.node, c.node]) {
        assert.equal((await n.exchange.sync()).delivered, 0);
        assert.equal((await n.exchange.sync()).queued, 0);
      }
      assert.deepEqual(await received(b.node, 'cert-c'), { versions: 0, objects: 0 });
      assert.deepEqual(await received(c.node, 'cert-b'), { versions: 0, objects: 0 });
      assert.equal(await countOf(b.node, 'exchange_provenance'), 1000);

      const sent = (await a.node.outbox.list({ state: 'delivered', limit: 1000 })).filter(
        (i) => i.type === EXCHANGE_TYPES.batch,
      );
      assert.equal(sent.length, 2, 'one batch to each peer');
      assert.equal(await countOf(a.node, 'ledger_entries'), ledgerA + 2);
      for (const item of sent) {
        const answer = item.answer as { receipt: unknown; result: { stored: number } };
        const receiver = item.peer === 'cert-b' ? b.node : c.node;
        const key = (await a.node.peer.peers.get(item.peer))!.signingKey;
        assert.equal(checkReceipt(answer.receipt, key, item.envelopeHash!).ok, true, 'the receipt checks');
        assert.equal(answer.result.stored, 1000);
        for (const [n, dir] of [
          [a.node, 'out'],
          [receiver, 'in'],
        ] as const) {
          const e = await n.database.db
            .selectFrom('ledger_entries')
            .selectAll()
            .where('envelope_hash', '=', item.envelopeHash!)
            .executeTakeFirst();
          assert.equal(e?.direction, dir, `${item.peer}: ${dir} entry`);
          assert.equal(e?.agreement_id, agreement);
        }
      }
    });

    test('a second sync sends nothing; an empty pull is one small round trip', async () => {
      const before = {
        outbox: await countOf(a.node, 'outbox'),
        ledgerA: await countOf(a.node, 'ledger_entries'),
        ledgerB: await countOf(b.node, 'ledger_entries'),
      };
      const r = await a.node.exchange.sync();
      assert.equal(r.queued, 0);
      assert.equal(r.attempted, 0);
      assert.equal(await countOf(a.node, 'outbox'), before.outbox);
      assert.equal(await countOf(a.node, 'ledger_entries'), before.ledgerA);
      assert.deepEqual(await b.node.exchange.pull('cert-a'), [{ agreement, pending: false }]);
      await a.node.outbox.pass();
      assert.equal(await countOf(a.node, 'outbox'), before.outbox, 'no batch queued');
      assert.equal(await countOf(a.node, 'ledger_entries'), before.ledgerA + 1, 'the pull, in');
      assert.equal(await countOf(b.node, 'ledger_entries'), before.ledgerB + 1, 'the pull, out');
    });

    test('a new version becomes the latest at B and C; a revocation propagates', async () => {
      const id = indicator(7).id;
      await put(a.node, [indicator(7, '2026-02-01T00:00:00.000Z', { name: 'indicator 7, revised' })]);
      await a.node.exchange.sync();
      for (const n of [b.node, c.node]) {
        const coll = (await n.stix.getCollection(inboundAlias('cert-a')))!;
        const v = await n.stix.versions(coll.id, id);
        assert.deepEqual(
          v.map((x) => [x.version, x.latest]),
          [
            ['2026-01-01T00:00:00.000Z', false],
            ['2026-02-01T00:00:00.000Z', true],
          ],
        );
        assert.equal(JSON.parse(v[1]!.json).name, 'indicator 7, revised');
      }
      await put(a.node, [indicator(7, '2026-03-01T00:00:00.000Z', { revoked: true })]);
      await a.node.exchange.sync();
      for (const n of [b.node, c.node]) {
        const coll = (await n.stix.getCollection(inboundAlias('cert-a')))!;
        const last = (await n.stix.versions(coll.id, id)).find((x) => x.latest)!;
        assert.equal(last.revoked, true);
        assert.equal(last.version, '2026-03-01T00:00:00.000Z');
      }
    });

    test('TLP:AMBER naming only C never reaches B', async () => {
      const amber = withSharing(
        indicator(5000, '2026-01-01T00:00:00.000Z', { object_marking_refs: [AMBER] }),
        {
          shareWith: ['cert-c'],
        },
      );
      await put(a.node, [amber]);
      await a.node.exchange.sync();
      const inB = (await b.node.stix.getCollection(inboundAlias('cert-a')))!;
      const inC = (await c.node.stix.getCollection(inboundAlias('cert-a')))!;
      assert.equal((await b.node.stix.versions(inB.id, amber.id as string)).length, 0);
      assert.equal((await c.node.stix.versions(inC.id, amber.id as string)).length, 1);
      // B's cursor moved past it all the same: the next sync has nothing for B.
      assert.equal((await a.node.exchange.sync({ peer: 'cert-b' })).queued, 0);
    });

    test('what B received is served over TAXII to a reader', async () => {
      const coll = (await b.node.stix.getCollection(inboundAlias('cert-a')))!;
      const { token } = await new Principals(b.node.database).createToken('reader', 'a local MISP');
      const res = await fetch(`${b.url}/taxii2/parley/collections/${coll.id}/objects/?limit=5`, {
        headers: { accept: TAXII_MEDIA_TYPE, authorization: `Bearer ${token}` },
      });
      assert.equal(res.status, 200, await res.clone().text());
      const body = (await res.json()) as { objects: { id: string }[]; more: boolean };
      assert.equal(body.objects.length, 5);
      assert.equal(body.more, true);
      const none = await fetch(`${b.url}/taxii2/parley/collections/${coll.id}/objects/`, {
        headers: { accept: TAXII_MEDIA_TYPE },
      });
      assert.equal(none.status, 401);
    });

    test('a peer stopped while 5,000 objects are added catches up after restart, without duplicates', async () => {
      const port = Number(new URL(c.url).port);
      await c.server.close();
      await c.node.close();
      await put(
        a.node,
        Array.from({ length: 5000 }, (_, i) => indicator(10_000 + i)),
      );
      const r = await a.node.exchange.sync();
      assert.ok(r.retrying >= 1, 'C is unreachable');
      assert.deepEqual(await received(b.node, 'cert-a'), { versions: 6002, objects: 6000 });

      const node = await openNode(loadConfig({ dataDir: c.data, logLevel: 'silent' }, {}));
      const server = await startServer(node, { host: '127.0.0.1', port });
      c2 = { node, server };
      // C asks for what it missed; A answers by pushing (its retries are due now too).
      assert.deepEqual(await node.exchange.pull('cert-a'), [{ agreement, pending: true }]);
      await a.node.outbox.retryNow('cert-c');
      await a.node.exchange.sync();
      assert.deepEqual(await received(C(), 'cert-a'), { versions: 6003, objects: 6001 });
      assert.equal(await countOf(C(), 'exchange_provenance'), 6003);
      const cursorsAgree = await a.node.exchange.sync();
      assert.equal(cursorsAgree.queued, 0);
    });
  });
}
