/**
 * The demo network (`npm start`) in a temporary directory on free ports: agreements in force, the
 * hotline threads in the states the scenario promises, threat intel under every TLP label where the
 * sharing rules allow it and nowhere else, the web UI's sign-in working with the printed password;
 * a second start resumes the same demo without laying it down again; both shut down cleanly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DEMO_TLPS, type RunningDemo, startDemo } from '../../src/demo/index.js';
import { inboundAlias } from '../../src/exchange/index.js';
import { tlpOf } from '../../src/stix/index.js';
import { WebClient } from '../web/client.js';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const free = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

async function freeBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await free(base)) && (await free(base + 1)) && (await free(base + 2))) return base;
  }
  throw new Error('no three free ports in a row');
}

/** TLP labels of the latest objects of a node's collection, by origin label. */
async function labels(demo: RunningDemo, at: number, collection: string): Promise<Set<string>> {
  const n = demo.nodes[at]!.node;
  const c = await n.stix.getCollection(collection);
  if (!c) return new Set();
  const out = new Set<string>();
  for await (const o of n.stix.stream({ collectionId: c.id })) {
    const obj = JSON.parse(o.json) as Record<string, unknown>;
    if (obj.type !== 'marking-definition') out.add(tlpOf(obj) ?? 'none');
  }
  return out;
}

test('the demo: three nodes with agreements, hotline threads, intel under the TLP rules; resumed on restart', async () => {
  const basePort = await freeBase();
  const lines: string[] = [];
  let demo = await startDemo({ dir, basePort, log: (l) => lines.push(l) });
  const [a, b, c] = demo.nodes as [RunningDemo['nodes'][0], RunningDemo['nodes'][0], RunningDemo['nodes'][0]];
  try {
    assert.equal(demo.created, true);
    assert.deepEqual(
      demo.nodes.map((n) => [n.party, n.url]),
      [
        ['Arcadia', `http://127.0.0.1:${basePort}`],
        ['Borduria', `http://127.0.0.1:${basePort + 1}`],
        ['Carpathia', `http://127.0.0.1:${basePort + 2}`],
      ],
    );

    // Agreements in force: the bilateral at Arcadia and Borduria, the multilateral everywhere.
    const { bilateral, multilateral } = demo.scenario;
    for (const n of demo.nodes) {
      const inForce = (await n.node.peer.pacts.list()).filter((v) => v.state === 'in_force').map((v) => v.id);
      assert.ok(inForce.includes(multilateral), `${n.party}: multilateral in force`);
      assert.equal(inForce.includes(bilateral), n !== c, `${n.party}: bilateral`);
    }

    // Hotline: acknowledged in time (Borduria), overdue and escalated (Carpathia), an exercise.
    const t = demo.scenario.threads;
    const inTime = (await a.node.hotline.thread(t.inTime)).messages.find((m) => m.direction === 'out')!;
    assert.equal(inTime.recipients[0]?.acknowledgement, 'within deadline');
    assert.equal(inTime.recipients[0]?.ackPoc, 'duty');
    const overdueThread = await a.node.hotline.thread(t.overdue);
    const first = overdueThread.messages[0]!;
    assert.equal(first.recipients[0]?.node, 'carpathia');
    assert.equal(first.recipients[0]?.overdue, true);
    assert.equal(first.recipients[0]?.escalated, true);
    assert.ok(
      overdueThread.messages.some((m) => m.escalates === first.id),
      'an escalation was sent',
    );
    const ex = (await a.node.hotline.thread(t.exercise)).messages[0]!;
    assert.equal(ex.exercise, true);
    assert.ok(ex.recipients.some((r) => r.node === 'arcadia' && r.acknowledgedAt));
    const open = (await a.node.hotline.thread(t.open)).messages[0]!;
    assert.equal(open.recipients[0]?.acknowledgement, 'pending');
    // A ping test ran.
    assert.ok((await a.node.hotline.pingResults()).pings.length > 0);

    // Intel: every party holds its own under every label.
    for (const [i, n] of demo.nodes.entries())
      assert.deepEqual(
        [...(await labels(demo, i, 'local'))].sort(),
        [...DEMO_TLPS].sort(),
        `${n.party}: own intel under every TLP label`,
      );
    // Arcadia names Borduria on its AMBER objects: Borduria gets them, Carpathia does not; RED stays.
    assert.deepEqual([...(await labels(demo, 1, inboundAlias('arcadia')))].sort(), [
      'amber',
      'amber+strict',
      'clear',
      'green',
    ]);
    assert.deepEqual([...(await labels(demo, 2, inboundAlias('arcadia')))].sort(), ['clear', 'green']);
    // Borduria and Carpathia name Arcadia (their first partner).
    assert.deepEqual([...(await labels(demo, 0, inboundAlias('carpathia')))].sort(), [
      'amber',
      'amber+strict',
      'clear',
      'green',
    ]);
    // Borduria and Carpathia share only the multilateral: Carpathia's AMBER is not Borduria's.
    assert.deepEqual([...(await labels(demo, 1, inboundAlias('carpathia')))].sort(), ['clear', 'green']);

    // The printed sign-in works on the web API; the dashboard shows the overdue thread.
    const web = new WebClient(a.url);
    const signIn = await web.signIn(a.user, a.password);
    assert.equal(signIn.status, 200, signIn.text);
    const dash = await web.call('GET', '/api/v1/dashboard');
    assert.equal(dash.status, 200);
    assert.equal(dash.body.agreements.inForce, 2);
    assert.ok(dash.body.hotline.overdue.some((o: { peer: string }) => o.peer === 'carpathia'));
    assert.equal(dash.body.intel.byTlp.red, 8);
    assert.ok(dash.body.peers.every((p: { reachable: boolean }) => p.reachable === true));
    assert.ok(dash.body.compliance.length === 2);
  } finally {
    await demo.close();
  }

  // Again: the same directory is resumed, nothing is laid down twice.
  demo = await startDemo({ dir, basePort: basePort + 7, log: (l) => lines.push(l) });
  try {
    assert.equal(demo.created, false);
    assert.equal(demo.nodes[0]?.url, `http://127.0.0.1:${basePort}`, 'the ports it was made on');
    assert.equal(demo.nodes[0]?.password, a.password);
    assert.equal((await demo.nodes[0]!.node.peer.pacts.list()).length, 2);
    const web = new WebClient(demo.nodes[2]!.url);
    assert.equal((await web.signIn('admin', c.password)).status, 200);
    assert.equal((await web.signIn('admin', b.password)).status, 401, 'each node has its own password');
  } finally {
    await demo.close();
  }
});
