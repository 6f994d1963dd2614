/**
 * The hotline between three real nodes on 127.0.0.1 sharing one ManualClock (no test sleeps for a
 * deadline): delivery with a signed receipt and an acknowledgement within the deadline; delivery
 * exactly once after the recipient was down; escalation in the documented order when nobody
 * acknowledges; every message kind through envelope, ledger and receipt; a ping test with one point
 * of contact unreachable. Run by hotline.sqlite.test.ts and hotline.postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/index.js';
import type { Hotline, MessageInput, MessageView } from '../../src/hotline/index.js';
import { checkReceipt, receiptStore } from '../../src/ledger/index.js';
import {
  agreementBetween,
  type Network,
  network,
  restartServer,
  stopServer,
  type TestNode,
} from './harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

export function hotlineSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`hotline over HTTP (${backend})`, () => {
    const clock = new ManualClock(Date.now());
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let c: TestNode;
    let agr = '';
    const H = (n: TestNode): Hotline => n.node.hotline;

    before(async () => {
      net = network({ backend, clock });
      a = await net.add('cert-a', 'CERT of Arcadia');
      b = await net.add('cert-b', 'CERT of Borduria');
      c = await net.add('cert-c', 'CERT of Carpathia');
      agr = await agreementBetween(a, [b, c], 'Hotline');
      const poc = (id: string, role: 'technical' | 'policy', name: string) => ({
        id,
        role,
        kind: 'desk' as const,
        name,
        channels: ['parley:hotline'],
        languages: ['en'],
        timezone: 'UTC',
        hours: '24/7',
      });
      await a.node.peer.directory.add(poc('a-duty', 'technical', 'CERT-A duty officer'));
      await a.node.peer.directory.add(poc('a-policy', 'policy', 'Arcadia MFA desk'));
      await b.node.peer.directory.add(poc('desk-1', 'technical', 'CERT-B duty desk'));
      await b.node.peer.directory.add(poc('desk-2', 'technical', 'CERT-B backup desk'));
      await b.node.peer.directory.add(poc('mfa', 'policy', 'Borduria MFA desk'));
      await c.node.peer.directory.add(poc('c-duty', 'technical', 'CERT-C duty desk'));
      for (const n of [a, b, c]) await n.node.peer.directory.publish();
    });
    after(() => net.close());

    /** Delivers what is due everywhere (the outbox workers poll on a real timer; tests do not wait for it). */
    const flush = async () => {
      for (let i = 0; i < 2; i++) for (const n of [a, b, c]) await n.node.outbox.pass();
    };
    /**
     * After a peer comes back: time passes and due items go out. Twice, because an attempt of the
     * background worker that started while the peer was down may end after the restart and set the
     * next attempt a little later.
     */
    const later = async () => {
      for (let i = 0; i < 2; i++) {
        clock.advance(10 * MIN);
        await flush();
      }
    };
    const notification = (over: Partial<MessageInput> = {}): MessageInput => ({
      agreement: agr,
      kind: 'notification',
      channel: 'technical',
      urgency: 'high',
      recipients: ['cert-b'],
      subject: 'Intrusion at a power utility',
      description: 'Unlawful access to SCADA historians; indicators attached later.',
      category: 'art2.4',
      rsit: 'intrusions',
      incident: `inc--${randomUUID()}`,
      stage: 'early-warning',
      ...over,
    });
    const countAt = async (n: TestNode, id: string) =>
      Number(
        (
          await n.node.database.db
            .selectFrom('hotline_messages')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    /** The envelope crossed: logged out at the sender and in at the recipient, its receipt checks and is kept. */
    const assertCrossed = async (from: TestNode, to: TestNode, view: MessageView) => {
      const r = view.recipients.find((x) => x.node === to.name)!;
      assert.equal(r.state === 'queued', false, `${view.kind} delivered`);
      assert.match(r.envelopeHash ?? '', /^[0-9a-f]{64}$/);
      assert.deepEqual(checkReceipt(r.receipt, to.node.ledger.publicKey, r.envelopeHash!), { ok: true });
      assert.ok(await receiptStore(from.node.database).receiptFor(r.envelopeHash!, to.name), 'receipt kept');
      assert.ok(await from.node.ledger.findByEnvelope(r.envelopeHash!, 'out'), 'logged out');
      assert.ok(await to.node.ledger.findByEnvelope(r.envelopeHash!, 'in'), 'logged in');
    };

    test('A notifies B: delivered with a signed receipt, acknowledged by a B point of contact within the deadline', async () => {
      const events: string[] = [];
      let onAck: () => void = () => {};
      const ackEvent = new Promise<void>((resolve) => {
        onAck = resolve;
      });
      H(a).events.on('state', (e) => {
        events.push(`${e.recipient}:${e.state}`);
        if (e.state === 'acknowledged') onAck();
      });
      const seen = new Promise((resolve) => H(b).events.once('message', resolve));
      const sent = await H(a).send(notification());
      assert.equal(sent.recipients[0]!.state, 'queued');
      assert.equal(sent.recipients[0]!.acknowledgement, 'pending');
      await flush();
      const delivered = await H(a).message(sent.id);
      assert.equal(delivered.recipients[0]!.state, 'delivered');
      await assertCrossed(a, b, delivered);
      const inbox = await H(b).inbox();
      assert.equal(inbox[0]?.id, sent.id);
      assert.deepEqual(inbox[0]?.message, sent.message, 'the message arrives as sent');
      assert.equal(inbox[0]?.recipients[0]?.state, 'delivered');
      assert.equal(((await seen) as { id: string }).id, sent.id);

      clock.advance(20 * MIN);
      await H(b).ack(sent.id, { poc: 'desk-1' });
      await assert.rejects(H(b).ack(sent.id, { poc: 'desk-1' }), { code: 'hotline.already_acknowledged' });
      await assert.rejects(H(a).ack(sent.id, { poc: 'a-duty' }), { code: 'hotline.not_received' });
      await assert.rejects(H(b).ack(sent.id, { poc: 'nobody' }), { code: 'hotline.unknown_poc' });
      await flush();
      const acked = (await H(a).message(sent.id)).recipients[0]!;
      assert.equal(acked.state, 'acknowledged');
      assert.equal(acked.acknowledgement, 'within deadline');
      assert.equal(acked.ackPoc, 'desk-1');
      assert.equal(Date.parse(acked.acknowledgedAt!) - Date.parse(sent.created), 20 * MIN);
      assert.equal(acked.overdue, false);
      // The acknowledgement crossed as its own envelope, logged on both sides with a kept receipt.
      const [ackItem] = await b.node.outbox.byRef(`ack:${sent.id}`);
      assert.equal(ackItem?.state, 'delivered');
      assert.ok(await a.node.ledger.findByEnvelope(ackItem!.envelopeHash!, 'in'));
      assert.ok(await receiptStore(b.node.database).receiptFor(ackItem!.envelopeHash!, 'cert-a'));
      // A emits the state after its own commit, on a later turn: wait for it rather than a fixed time
      // (50 ms was too short on a loaded machine), failing if it never comes.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ackEvent,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no acknowledged event; events: ${events}`)), 10_000);
        }),
      ]).finally(() => clearTimeout(timer));
      assert.deepEqual(events, ['cert-b:delivered', 'cert-b:acknowledged']);
    });

    test('with B stopped, A retries with backoff and delivers exactly once when B is back', async () => {
      await stopServer(b);
      const sent = await H(a).send(notification({ subject: 'Second stage', stage: 'notification' }));
      await flush();
      const [item] = await a.node.outbox.byRef(sent.id);
      assert.equal(item?.state, 'pending');
      assert.ok(item!.attempts >= 1);
      assert.match(item!.lastError ?? '', /peer\.unreachable/);
      const tries = item!.attempts;
      clock.advance(10 * MIN);
      await flush();
      assert.ok((await a.node.outbox.get(item!.id))!.attempts > tries, 'retried');
      assert.equal((await H(a).message(sent.id)).recipients[0]!.state, 'queued');
      assert.equal(await countAt(b, sent.id), 0);

      await restartServer(b);
      await later();
      const view = await H(a).message(sent.id);
      assert.equal(view.recipients[0]!.state, 'delivered');
      await assertCrossed(a, b, view);
      assert.equal(await countAt(b, sent.id), 1);
      // A repeated delivery (an answer lost on the way back) changes nothing and gets the same answer.
      const first = (await a.node.outbox.get(item!.id))!.answer as { result: unknown };
      const [again] = await a.node.peer.messenger.send({
        to: ['cert-b'],
        type: 'hotline.message',
        agreement: agr,
        payload: item!.payload,
      });
      assert.equal(again?.ok, true);
      assert.deepEqual(again?.result, first.result);
      assert.equal(await countAt(b, sent.id), 1);
      assert.equal((await H(b).inbox()).filter((m) => m.id === sent.id).length, 1);
      await H(b).ack(sent.id, { poc: 'desk-2' });
      await flush();
      assert.equal((await H(a).message(sent.id)).recipients[0]!.acknowledgement, 'within deadline');
    });

    test('no acknowledgement: the deadline passes and escalation fires in the documented order, up to the top', async () => {
      const order: string[] = [];
      H(a).events.on('deadline', (e) => order.push(`deadline:${e.which}`));
      H(a).events.on('alert', (e) => order.push(`alert:${e.kind}:${e.direction}`));
      H(a).events.on('escalation', (e) => order.push(`escalation:${e.from}->${e.to}`));
      const sent = await H(a).send(notification({ urgency: 'critical', subject: 'Grid outage' }));
      await flush();
      assert.equal((await H(a).message(sent.id)).recipients[0]!.state, 'delivered');
      assert.equal((await H(a).checkDeadlines()).escalations.length, 0, 'not yet due');

      clock.advance(HOUR + MIN);
      const late = (await H(a).message(sent.id)).recipients[0]!;
      assert.equal(late.overdue, true);
      assert.equal(late.acknowledgement, 'overdue');
      const r1 = await H(a).checkDeadlines();
      assert.equal(r1.escalations.length, 1);
      const e1 = r1.escalations[0]!;
      assert.deepEqual([e1.from, e1.to, e1.backupPoc], ['technical', 'formal-inquiry', 'desk-2']);
      assert.deepEqual(order, [
        'deadline:acknowledge',
        'alert:duty-officer:local',
        'alert:backup-poc:out',
        'escalation:technical->formal-inquiry',
      ]);
      assert.equal((await H(a).checkDeadlines()).escalations.length, 0, 'fires once per missed deadline');
      const alerts = await H(a).alerts({ thread: sent.thread });
      assert.deepEqual(
        alerts.map((x) => [x.kind, x.direction, x.node, x.poc]),
        [
          ['duty-officer', 'local', 'cert-b', 'a-duty'],
          ['backup-poc', 'out', 'cert-b', 'desk-2'],
        ],
      );
      await flush();
      const atB = await H(b).alerts({ direction: 'in' });
      assert.equal(atB.at(-1)?.id, e1.backupAlert);
      assert.equal(atB.at(-1)?.poc, 'desk-2');

      // Nobody answers on formal-inquiry either: the thread moves to crisis, the top of the ladder.
      clock.advance(HOUR + MIN);
      const e2 = (await H(a).checkDeadlines()).escalations[0]!;
      assert.deepEqual([e2.message, e2.from, e2.to], [e1.resent, 'formal-inquiry', 'crisis']);
      await flush();
      clock.advance(HOUR + MIN);
      const e3 = (await H(a).checkDeadlines()).escalations[0]!;
      assert.deepEqual([e3.from, e3.to, e3.resent], ['crisis', null, null], 'stops at the top');
      await flush();

      const thread = await H(b).thread(sent.thread);
      assert.deepEqual(
        thread.channels,
        ['technical', 'formal-inquiry', 'crisis'],
        'history kept across channels',
      );
      assert.deepEqual(
        thread.messages.map((m) => [m.channel, m.escalates]),
        [
          ['technical', null],
          ['formal-inquiry', sent.id],
          ['crisis', e1.resent],
        ],
      );
      assert.equal((await H(a).thread(sent.thread)).channel, 'crisis');

      // B answers on the crisis channel; A sees the states; A closes the thread on both sides.
      await H(b).ack(e2.resent!, { poc: 'mfa' });
      const resp = await H(b).respond(e2.resent!, {
        subject: 'Grid outage: taken in hand',
        description: 'Our CERT is on site.',
      });
      await flush();
      const atA = (await H(a).message(e2.resent!)).recipients[0]!;
      assert.deepEqual(
        [atA.state, atA.acknowledgement, atA.responseId],
        ['responded', 'over deadline', resp.id],
      );
      await H(a).close(sent.thread, { description: 'Resolved.' });
      await flush();
      assert.ok((await H(b).thread(sent.thread)).closedAt);
      assert.equal((await H(a).message(sent.id)).recipients[0]!.state, 'closed');
      await assert.rejects(H(b).respond(sent.id, { subject: 'x', description: 'y' }), {
        code: 'hotline.thread_closed',
      });
    });

    test('every message kind round-trips through envelope, ledger and receipt; invalid ones never leave', async () => {
      const base = {
        agreement: agr,
        recipients: ['cert-b'],
        urgency: 'medium' as const,
        channel: 'technical' as const,
      };
      const first = await H(a).send(notification({ stage: 'final' }));
      const perm = {
        object_refs: [`indicator--${randomUUID()}`],
        share_with: ['cert-c'],
        tlp: 'TLP:AMBER' as const,
      };
      const inputs: MessageInput[] = [
        { ...base, kind: 'rfa', subject: 'Assistance', description: 'Please block these addresses.' },
        { ...base, kind: 'rfi', subject: 'Information', description: 'Do you see this scanner?' },
        {
          ...base,
          kind: 'inquiry',
          channel: 'formal-inquiry',
          subject: 'Inquiry',
          description: 'Formal inquiry.',
          category: 'art2.1',
        },
        { ...base, kind: 'advisory', subject: 'Advisory', description: 'Patch now.' },
        {
          ...base,
          kind: 'response',
          thread: first.thread,
          in_reply_to: first.id,
          subject: 'Re',
          description: 'Noted.',
        },
        { ...base, kind: 'ping', subject: 'Communication check' },
        { ...base, kind: 'permission-request', subject: 'May we share?', permission: perm },
        {
          ...base,
          kind: 'permission-grant',
          thread: first.thread,
          in_reply_to: first.id,
          subject: 'Granted',
          permission: { ...perm, granted: true },
        },
        { ...base, kind: 'closure', thread: first.thread, in_reply_to: first.id, subject: 'Closed' },
      ];
      const views = [first];
      for (const i of inputs) views.push(await H(a).send(i));
      await flush();
      assert.deepEqual(views.map((v) => v.kind).sort(), [
        'advisory',
        'closure',
        'inquiry',
        'notification',
        'permission-grant',
        'permission-request',
        'ping',
        'response',
        'rfa',
        'rfi',
      ]);
      for (const v of views) {
        const now = await H(a).message(v.id);
        await assertCrossed(a, b, now);
        assert.deepEqual((await H(b).message(v.id)).message, v.message, `${v.kind} arrives as sent`);
      }
      for (const v of views.slice(0, -1))
        if (v.kind !== 'response')
          await H(b)
            .ack(v.id, { poc: 'desk-1' })
            .catch(() => {});

      const before = await Promise.all([countAt(a, 'x'), a.node.outbox.list({ limit: 1000 })]);
      await assert.rejects(H(a).send(notification({ category: null })), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'hotline.invalid_message');
        assert.match(e.message, /category/);
        return true;
      });
      await assert.rejects(H(a).send({ ...base, kind: 'gossip' as never, subject: 'x' }), {
        code: 'hotline.unknown_kind',
      });
      await assert.rejects(
        H(a).send({ ...base, kind: 'advisory', subject: 'x', description: 'y', recipients: ['cert-z'] }),
        {
          code: 'hotline.invalid_message',
        },
      );
      await assert.rejects(
        H(a).send({ ...base, agreement: `agr-${'0'.repeat(64)}`, kind: 'advisory', subject: 'x' }),
        {
          code: 'pact.unknown_agreement',
        },
      );
      assert.equal((await a.node.outbox.list({ limit: 1000 })).length, before[1].length, 'nothing queued');
    });

    test('a ping test over three nodes with one point of contact unreachable: 2 passed, 1 failed, with times', async () => {
      await stopServer(c);
      const run = await H(a).runPings({ pocs: ['cert-b/desk-1', 'cert-b/desk-2', 'cert-c/c-duty'] });
      assert.equal(run.pings.length, 3);
      await flush();
      const pings = (await H(b).inbox()).filter((m) => m.kind === 'ping' && m.toPoc !== null);
      assert.deepEqual(pings.map((p) => p.toPoc).sort(), ['desk-1', 'desk-2']);
      clock.advance(30 * MIN);
      for (const p of pings) await H(b).ack(p.id, { poc: p.toPoc! });
      await flush();
      clock.advance(25 * HOUR);
      const report = await H(a).checkDeadlines();
      assert.equal(report.pingsFailed.length, 1);
      const res = await H(a).pingResults({ run: run.run });
      assert.deepEqual([res.passed, res.failed, res.pending], [2, 1, 0]);
      for (const p of res.pings.filter((x) => x.outcome === 'passed')) {
        assert.equal(p.ackMs, 30 * MIN);
        assert.ok(p.deliveredAt && p.acknowledgedAt);
      }
      const failed = res.pings.find((x) => x.outcome === 'failed')!;
      assert.deepEqual(
        [failed.owner, failed.poc, failed.reason],
        ['cert-c', 'c-duty', 'not delivered within the deadline'],
      );
      assert.equal(failed.deliveredAt, null);
      assert.equal((await H(a).alerts({ kind: 'ping-failed', direction: 'local' })).length, 1);
      // The nominating party hears of it once its node is back.
      await restartServer(c);
      await later();
      const atC = await H(c).alerts({ direction: 'in', kind: 'ping-failed' });
      assert.equal(atC.length, 1);
      assert.equal(atC[0]!.poc, 'c-duty');
      assert.match(atC[0]!.text, /not delivered within the deadline/);
    });
  });
}
