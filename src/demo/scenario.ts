/**
 * The demo's story, written through the nodes' real services over real HTTP on 127.0.0.1: peering,
 * a bilateral and a multilateral agreement signed over the peer protocol, points of contact
 * published, threat intel ingested and synced under the TLP rules, hotline threads (one
 * acknowledged in time, one overdue and escalated, one exercise, one still open with its deadline
 * ahead), a ping test and gossip rounds. The history is laid down days in the past on the DemoClock
 * and ends now (see clock.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Node } from '../app/index.js';
import { DEFAULT_COLLECTION } from '../app/index.js';
import { isoMillis } from '../core/index.js';
import type { PointOfContact } from '../directory/index.js';
import type { MessageInput } from '../hotline/index.js';
import { ingest } from '../intel/index.js';
import { partyFrom } from '../pact/index.js';
import { defaultValidator } from '../stix/index.js';
import type { DemoClock } from './clock.js';
import { demoIntel } from './intel.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export interface DemoNode {
  name: string;
  party: string;
  node: Node;
  url: string;
}

export interface Scenario {
  bilateral: string;
  multilateral: string;
  threads: { inTime: string; overdue: string; exercise: string; open: string };
}

type Poc = Omit<PointOfContact, 'confirmed_on'> & { confirmed_on?: string };

const desk = (id: string, role: PointOfContact['role'], name: string, extra: Partial<Poc> = {}): Poc => ({
  id,
  role,
  kind: 'desk',
  name,
  channels: ['parley:hotline', `email:${id}@cert.example`],
  languages: ['en', 'ru', 'zh'],
  timezone: 'UTC',
  hours: '24/7',
  ...extra,
});

const POCS: Record<string, Poc[]> = {
  arcadia: [
    desk('duty', 'technical', 'CERT-Arcadia duty desk', { timezone: 'Europe/Vienna' }),
    desk('backup', 'technical', 'CERT-Arcadia backup desk', { timezone: 'Europe/Vienna' }),
    desk('mfa', 'policy', 'Arcadia Ministry of Foreign Affairs, cyber desk', { hours: 'Mo-Fr 08:00-18:00' }),
  ],
  borduria: [
    desk('duty', 'technical', 'Borduria national CERT duty desk', {
      languages: ['ru', 'en'],
      timezone: 'Europe/Moscow',
    }),
    desk('mfa', 'policy', 'Borduria MFA, international information security', {
      languages: ['ru', 'en'],
      timezone: 'Europe/Moscow',
      hours: 'Mo-Fr 09:00-18:00',
    }),
  ],
  carpathia: [
    desk('duty', 'technical', 'Carpathia CSIRT duty desk', {
      languages: ['zh', 'en'],
      timezone: 'Asia/Shanghai',
    }),
    desk('backup', 'technical', 'Carpathia CSIRT backup desk', {
      languages: ['zh', 'en'],
      timezone: 'Asia/Shanghai',
    }),
    // Not confirmed for more than the agreement's 180 days: the directory flags it stale.
    desk('police', 'law-enforcement', 'Carpathia cybercrime police liaison', {
      kind: 'person',
      languages: ['zh'],
      timezone: 'Asia/Shanghai',
      hours: 'Mo-Fr 09:00-17:00',
    }),
  ],
};

/** Delivers whatever is due on every node now (the workers would, a moment later). */
async function flush(nodes: DemoNode[]): Promise<void> {
  for (let i = 0; i < 3; i++) for (const n of nodes) await n.node.outbox.pass();
}

export async function runScenario(nodes: DemoNode[], clock: DemoClock): Promise<Scenario> {
  const [a, b, c] = nodes as [DemoNode, DemoNode, DemoNode];
  clock.at(3 * DAY);

  // Peering: every pair, by fingerprint, as operators would after reading it out over the phone.
  for (const x of nodes)
    for (const y of nodes) {
      if (x === y || (await x.node.peer.peers.get(y.node.identity.nodeId))) continue;
      const d = await x.node.peer.client.fetchDescriptor(y.url);
      await x.node.peer.peers.add(y.url, d, y.node.fingerprint, x.node.identity.nodeId);
    }
  const party = async (from: DemoNode, to: DemoNode) =>
    partyFrom((await from.node.peer.peers.get(to.node.identity.nodeId))!);

  // Agreements, proposed by Arcadia and signed by the others over the peer protocol.
  const terms = {
    languages: ['en', 'ru', 'zh'],
    sharing: { default_tlp: null },
  };
  const bilateral = (
    await a.node.peer.pacts.propose({
      with: [await party(a, b)],
      terms: {
        ...terms,
        title: 'Arcadia–Borduria Agreement on Cooperation in International Information Security',
      },
    })
  ).id;
  await b.node.peer.pacts.sign(bilateral);
  const multilateral = (
    await a.node.peer.pacts.propose({
      with: [await party(a, b), await party(a, c)],
      terms: { ...terms, title: 'Tripartite Agreement on Cyber Confidence-Building Measures' },
    })
  ).id;
  await b.node.peer.pacts.sign(multilateral);
  await c.node.peer.pacts.sign(multilateral);

  // Points of contact, published to agreement partners only.
  const today = isoMillis(clock.now()).slice(0, 10);
  const longAgo = isoMillis(clock.now() - 200 * DAY).slice(0, 10);
  for (const n of nodes)
    for (const p of POCS[n.name] ?? [])
      await n.node.peer.directory.add({ ...p, confirmed_on: p.id === 'police' ? longAgo : today });
  for (const n of nodes) await n.node.peer.directory.publish();

  // Threat intel: each party's own, then synced to partners as the TLP rules allow.
  clock.at(2 * DAY + 12 * HOUR);
  for (const [i, n] of nodes.entries()) {
    const partners = nodes.filter((x) => x !== n).map((x) => x.node.identity.nodeId);
    const objects = demoIntel({
      node: n.node.identity.nodeId,
      party: n.party,
      partners,
      n: i + 1,
      at: isoMillis(clock.now()),
    });
    await ingestObjects(n.node, objects);
  }
  await syncIntel(nodes);

  // Hotline. Two days ago: Arcadia asks Carpathia for assistance; nobody there acknowledges.
  clock.at(2 * DAY);
  const base = (agreement: string, over: Partial<MessageInput>): MessageInput => ({
    agreement,
    kind: 'notification',
    channel: 'technical',
    urgency: 'high',
    category: 'art2.4',
    rsit: 'intrusions',
    incident: `inc--${randomUUID()}`,
    stage: 'early-warning',
    subject: '',
    description: '',
    ...over,
  });
  const overdue = await a.node.hotline.send(
    base(multilateral, {
      kind: 'rfa',
      recipients: [c.node.identity.nodeId],
      urgency: 'high',
      subject: 'Request for assistance: botnet C2 hosted in Carpathia',
      description:
        'Command-and-control servers of a botnet attacking Arcadian hospitals are hosted at 203.0.113.21 and 203.0.113.22 in Carpathia. We ask for help to take them down.',
      incident: undefined,
      stage: undefined,
    }),
  );
  await flush(nodes);

  // Yesterday: Arcadia notifies Borduria; Borduria's duty desk acknowledges within 12 minutes.
  clock.at(DAY);
  const inTime = await a.node.hotline.send(
    base(bilateral, {
      recipients: [b.node.identity.nodeId],
      urgency: 'critical',
      subject: 'Intrusion at a power utility',
      description:
        'Unlawful access to SCADA historians of a regional power utility; traffic to 192.0.2.31 (AMBER indicators shared with Borduria).',
    }),
  );
  await flush(nodes);
  clock.at(DAY - 12 * MIN);
  await b.node.hotline.ack(inTime.id, { poc: 'duty' });
  await flush(nodes);
  clock.at(DAY - 3 * HOUR);
  await b.node.hotline.respond(inTime.id, {
    description: 'The address belongs to a hosting provider in Borduria; the server has been isolated.',
  });
  await flush(nodes);

  // Three hours ago: an exercise from Carpathia to both partners; Arcadia acknowledges.
  clock.at(3 * HOUR);
  const exercise = await c.node.hotline.send(
    base(multilateral, {
      kind: 'notification',
      recipients: [a.node.identity.nodeId, b.node.identity.nodeId],
      urgency: 'medium',
      exercise: true,
      subject: 'EXERCISE: ransomware at a national railway operator',
      description:
        'EXERCISE EXERCISE EXERCISE. Scenario 3 of the annual tabletop: ticketing systems encrypted.',
    }),
  );
  await flush(nodes);
  clock.at(2 * HOUR + 40 * MIN);
  await a.node.hotline.ack(exercise.id, { poc: 'duty' });
  await flush(nodes);

  // Now: Borduria sends an advisory to Arcadia, to be acknowledged within 24 hours.
  clock.at(0);
  const open = await b.node.hotline.send(
    base(multilateral, {
      kind: 'advisory',
      recipients: [a.node.identity.nodeId],
      urgency: 'medium',
      subject: 'Advisory: exploitation of a VPN appliance flaw',
      description:
        'A flaw in a widely used VPN appliance is exploited in the region; patch and hunt for web shells.',
      incident: undefined,
      stage: undefined,
      category: undefined,
      rsit: undefined,
    }),
  );
  await flush(nodes);

  // Deadlines missed in that history are found now: Carpathia's acknowledgement is overdue.
  for (const n of nodes) await n.node.hotline.checkDeadlines();
  await flush(nodes);

  // A ping test of the partners' points of contact from Arcadia; Borduria answers its ping.
  await a.node.hotline.runPings({});
  await flush(nodes);
  for (const m of await b.node.hotline.inbox({ limit: 20 }))
    if (m.kind === 'ping' && m.toPoc) await b.node.hotline.ack(m.id, { poc: m.toPoc }).catch(() => {});
  await flush(nodes);

  // Gossip: each node checks the others' tree heads.
  for (const x of nodes)
    for (const y of nodes)
      if (x !== y)
        await x.node.gossipWith(y.node.identity.nodeId, { agreement: multilateral }).catch(() => {});

  return {
    bilateral,
    multilateral,
    threads: { inTime: inTime.thread, overdue: overdue.thread, exercise: exercise.thread, open: open.thread },
  };
}

export async function ingestObjects(node: Node, objects: Record<string, unknown>[]) {
  const text = JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });
  const source = (async function* () {
    yield Buffer.from(text);
  })();
  return ingest({ database: node.database, validator: defaultValidator() }, source, {
    collection: DEFAULT_COLLECTION,
  });
}

/** Pushes every feed now and delivers, twice (a relay hop needs a second round). */
export async function syncIntel(nodes: DemoNode[]): Promise<void> {
  for (let i = 0; i < 2; i++) {
    for (const n of nodes) await n.node.exchange.sync();
    await flush(nodes);
  }
}
