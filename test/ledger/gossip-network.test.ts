/**
 * Gossip between two real nodes over HTTP: rounds of 'ledger.head' while the peer's log grows
 * honestly are accepted; after the peer rewrites its whole log behind the ledger's back (which its
 * own `ledger verify` cannot see, every head gone too), the next round detects the fork, and both
 * nodes record an alert with the evidence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { agreementBetween, cli, network, peer, stopServer } from '../network/harness.js';

const hash = (i: number) => i.toString(16).padStart(64, '0');

test('gossip rounds over HTTP accept an honest log and expose a rewritten one on both sides', async () => {
  const net = network();
  try {
    const a = await net.add('cert-a');
    const b = await net.add('cert-b');
    await peer(a, b);
    await peer(b, a);
    const p = await cli(a, 'agreement', 'propose', '--with', b.url, '--title', 'Ledger gossip');
    assert.equal(p.code, 0, p.err);
    const agreement = /agr-[0-9a-f]{64}/.exec(p.out)?.[0] ?? assert.fail(p.out);
    assert.equal((await cli(b, 'agreement', 'sign', agreement)).code, 0);
    const round = () => a.node.gossipWith('cert-b', { agreement });
    const first = await round();
    assert.equal(first.ok, true, JSON.stringify(first));
    await b.node.peer.messenger.send({ to: ['cert-a'], type: 'peer.ping', agreement: null, payload: {} });
    const viaCliOk = await cli(a, 'ledger', 'gossip', 'cert-b', '--agreement', agreement);
    assert.equal(viaCliOk.code, 0, viaCliOk.err);
    assert.match(viaCliOk.out, /^ok: cert-b tree size \d+, root [0-9a-f]{64}, consistent/);
    const second = await round();
    assert.equal(second.ok, true, JSON.stringify(second));
    assert.equal(second.ok && second.previous !== undefined, true, 'checked against the head held');
    const held = (await a.node.gossip.latestHead('cert-b'))!;
    assert.ok(held.treeSize >= 2);

    // cert-b rewrites its log from scratch under the same key, and grows it past the held head.
    const db = b.node.database.db;
    for (const t of ['ledger_entries', 'ledger_nodes', 'ledger_tree_heads'])
      await sql`delete from ${sql.table(t)}`.execute(db);
    await b.node.ledger.appendMany(
      Array.from({ length: 10 }, (_, i) => ({
        envelopeHash: hash(i + 1),
        direction: 'in' as const,
        peerNodeId: 'cert-a',
        agreementId: null,
        kind: 'message',
      })),
    );
    assert.equal((await cli(b, 'ledger', 'verify')).code, 0, 'a local check cannot see a full rewrite');

    const viaCli = await cli(a, 'ledger', 'gossip', 'cert-b', '--agreement', agreement);
    assert.equal(viaCli.code, 1);
    assert.match(viaCli.err, /\[ledger\.fork\] \(the peer confirmed the evidence\)$/);
    const third = await round();
    assert.equal(third.ok, false);
    assert.equal(!third.ok && third.code, 'ledger.fork');
    assert.equal(third.peerConfirmed, true, 'cert-b confirmed the evidence against its own log');
    const listed = await cli(a, 'ledger', 'alerts');
    assert.equal(listed.lines.length, 2, 'one alert per detecting round');
    assert.match(listed.lines[0]!, /cert-b {2}ledger\.fork {2}/);
    const [alertA] = await a.node.gossip.alerts('cert-b');
    assert.equal(alertA?.evidence.older.treeSize, held.treeSize);
    assert.equal(alertA?.evidence.older.rootHash, held.rootHash);
    const [alertB] = await b.node.gossip.alerts('cert-a');
    assert.equal(alertB?.code, 'ledger.fork');
    assert.equal(alertB?.evidence.older.signature, held.signature);
    assert.equal(alertB?.evidence.publicKeys[0], b.node.ledger.publicKey);
  } finally {
    await net.close();
  }
});

test('the regular round reaches every partner once, reports an unreachable one, and sees a fork', async () => {
  const net = network();
  try {
    const a = await net.add('cert-a');
    const b = await net.add('cert-b');
    const c = await net.add('cert-c');
    await agreementBetween(a, [b, c], 'Multilateral');
    await agreementBetween(a, [b], 'Bilateral');
    const first = await a.node.gossipWithPartners();
    assert.deepEqual(
      first.map((r) => [r.peer, r.result.ok]),
      [
        ['cert-b', true],
        ['cert-c', true],
      ],
      'one round per partner, however many agreements it shares',
    );
    await stopServer(c);
    const second = await a.node.gossipWithPartners();
    const toC = second.find((r) => r.peer === 'cert-c')!;
    assert.equal(toC.result.ok, false);
    assert.equal(!toC.result.ok && toC.result.code, 'peer.unreachable');
    // cert-b rewrites its log behind the ledger's back: the next regular round exposes it.
    for (const t of ['ledger_entries', 'ledger_nodes', 'ledger_tree_heads'])
      await sql`delete from ${sql.table(t)}`.execute(b.node.database.db);
    await b.node.ledger.appendMany(
      Array.from({ length: 10 }, (_, i) => ({
        envelopeHash: hash(i + 100),
        direction: 'in' as const,
        peerNodeId: 'cert-a',
        agreementId: null,
        kind: 'message',
      })),
    );
    const third = await a.node.gossipWithPartners();
    const toB = third.find((r) => r.peer === 'cert-b')!;
    assert.equal(!toB.result.ok && toB.result.code, 'ledger.fork');
  } finally {
    await net.close();
  }
});
