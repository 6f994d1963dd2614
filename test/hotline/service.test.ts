/**
 * The hotline service on both storage back ends, two nodes in one process on a ManualClock:
 * refusal before anything is written, escalation that skips a channel the agreement does not
 * enable, exercise traffic kept out of statistics, the response deadline, and the ping schedule.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { MessageInput } from '../../src/hotline/index.js';
import { BACKENDS } from '../support/backends.js';
import { hotlineNodes } from './fixture.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

for (const backend of BACKENDS) {
  describe(`hotline service (${backend.name})`, () => {
    let net: Awaited<ReturnType<typeof hotlineNodes>>;
    let agr = '';
    const X = () => net.node('x').hotline;
    const Y = () => net.node('y').hotline;
    const count = async (n: string, table: 'hotline_messages' | 'hotline_threads' | 'outbox') =>
      Number(
        (
          await net
            .node(n)
            .database.db.selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const note = (over: Partial<MessageInput> = {}): MessageInput => ({
      agreement: agr,
      kind: 'notification',
      channel: 'technical',
      urgency: 'critical',
      subject: 'Ransomware at a hospital',
      description: 'Encrypted file servers.',
      category: 'art2.2',
      rsit: 'malicious-code',
      incident: `inc--${randomUUID()}`,
      stage: 'early-warning',
      ...over,
    });

    before(async () => {
      net = await hotlineNodes(backend, ['x', 'y']);
      // No formal-inquiry channel: escalation goes from technical straight to crisis.
      agr = await net.agreement({ channels: ['technical', 'crisis'] });
      const poc = {
        kind: 'desk' as const,
        channels: ['parley:hotline'],
        languages: ['en'],
        timezone: 'UTC',
        hours: '24/7',
      };
      await net.node('x').peer.directory.add({ ...poc, id: 'x-duty', role: 'technical', name: 'X duty' });
      await net.node('y').peer.directory.add({ ...poc, id: 'y-1', role: 'technical', name: 'Y desk' });
      await net.node('y').peer.directory.add({ ...poc, id: 'y-policy', role: 'policy', name: 'Y policy' });
      await net.node('x').peer.directory.publish();
      await net.node('y').peer.directory.publish();
    });
    after(() => net.close());

    test('an invalid message is refused at the sender before anything is written or sent', async () => {
      const before = await Promise.all([
        count('x', 'hotline_messages'),
        count('x', 'hotline_threads'),
        count('x', 'outbox'),
      ]);
      await assert.rejects(X().send(note({ subject: '' })), { code: 'hotline.invalid_message' });
      await assert.rejects(X().send(note({ channel: 'formal-inquiry' })), {
        code: 'hotline.channel_not_enabled',
      });
      await assert.rejects(X().send({ ...note(), from: 'nobody' }), { code: 'hotline.unknown_poc' });
      await assert.rejects(Y().ack('msg--nothing', { poc: 'y-1' }), { code: 'hotline.unknown_message' });
      const after = await Promise.all([
        count('x', 'hotline_messages'),
        count('x', 'hotline_threads'),
        count('x', 'outbox'),
      ]);
      assert.deepEqual(after, before);
    });

    test('escalation skips a channel the agreement does not enable; exercise traffic is marked and kept out of statistics', async () => {
      const drill = await X().send(note({ exercise: true, subject: 'Drill' }));
      const real = await X().send(note({ subject: 'Real' }));
      await net.flush();
      assert.equal((await Y().message(drill.id)).exercise, true);
      assert.deepEqual(
        (await Y().inbox({ exercise: false })).map((m) => m.id),
        [real.id],
      );
      net.clock.advance(30 * MIN);
      await Y().ack(real.id, { poc: 'y-1' });
      await net.flush();
      net.clock.advance(31 * MIN);
      const r = await X().checkDeadlines();
      assert.deepEqual(
        r.escalations.map((e) => [e.message, e.from, e.to, e.backupPoc]),
        [[drill.id, 'technical', 'crisis', 'y-policy']],
      );
      await net.flush();
      const resent = await Y().message(r.escalations[0]!.resent!);
      assert.deepEqual([resent.channel, resent.exercise, resent.thread], ['crisis', true, drill.thread]);
      const s = await X().stats();
      assert.deepEqual(s.byRecipient, [
        {
          node: 'y',
          messages: 1,
          acknowledged: 1,
          withinDeadline: 1,
          overDeadline: 0,
          medianAckMs: 30 * MIN,
        },
      ]);
      assert.equal(s.sent, 1);
      await X().close(drill.thread);
      await X().close(real.thread);
      await net.flush();
    });

    test('a missed response deadline alerts the duty officer once and does not move the channel', async () => {
      const rfi = await X().send({
        agreement: agr,
        kind: 'rfi',
        channel: 'technical',
        urgency: 'low',
        subject: 'Scanner',
        description: 'Seen it?',
      });
      await net.flush();
      await Y().ack(rfi.id, { poc: 'y-1' });
      await net.flush();
      net.clock.advance(721 * HOUR);
      const r = await X().checkDeadlines();
      assert.deepEqual([r.escalations.length, r.responses.length], [0, 1]);
      assert.equal((await X().checkDeadlines()).responses.length, 0);
      const v = (await X().message(rfi.id)).recipients[0]!;
      assert.deepEqual([v.state, v.overdue, v.acknowledgement], ['acknowledged', true, 'within deadline']);
      const [alert] = await X().alerts({ thread: rfi.thread });
      assert.deepEqual([alert?.kind, alert?.reason], ['duty-officer', 'respond-overdue']);
      await Y().respond(rfi.id, { description: 'Yes, since Monday.' });
      await net.flush();
      assert.equal((await X().message(rfi.id)).recipients[0]!.overdue, false);
      await X().close(rfi.thread);
      await net.flush();
    });

    test('ping schedule: every 182 days by default, run by the worker when due; refused settings are named', async () => {
      await assert.rejects(X().schedulePings({ every: 0 }), { code: 'hotline.bad_schedule' });
      await assert.rejects(X().schedulePings({ pocs: ['y/none'] }), { code: 'hotline.unknown_poc' });
      const s = await X().schedulePings({ pocs: ['y/y-1'] });
      assert.equal(s.everyDays, 182);
      assert.equal(Date.parse(s.nextAt), net.clock.now() + 182 * DAY);
      await X().tick();
      assert.equal((await X().pingResults()).run, null, 'not due yet');
      net.clock.advance(182 * DAY);
      await X().tick();
      const res = await X().pingResults();
      assert.deepEqual([res.pending, res.pings[0]?.poc], [1, 'y-1']);
      assert.equal(Date.parse((await X().pingSchedule())!.nextAt), net.clock.now() + 182 * DAY);
      await net.flush();
      const ping = (await Y().inbox()).find((m) => m.kind === 'ping')!;
      assert.equal(ping.toPoc, 'y-1');
      net.clock.advance(2 * HOUR);
      await Y().ack(ping.id, { poc: 'y-1' });
      await net.flush();
      const done = await X().pingResults({ run: res.run! });
      assert.deepEqual([done.passed, done.pings[0]?.ackMs], [1, 2 * HOUR]);
    });
  });
}
