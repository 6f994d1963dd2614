/**
 * Compliance measures on three real nodes over HTTP with one ManualClock: a scripted quarter of
 * hotline traffic, pings, a directory exchange, threat-intel sharing and one unreachable spell,
 * every figure of cert-a's report compared with a value computed by hand below; exercise traffic
 * changes no real figure; rows changed behind the protocol's back are named by `report verify`
 * (and `ledger verify`); the other party's verify agrees, then names an edited receipt.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ComplianceReport } from '../../src/compliance/index.js';
import { fromTuple, parsePeriod } from '../../src/compliance/index.js';
import { ManualClock } from '../../src/core/index.js';
import type { Hotline, MessageInput } from '../../src/hotline/index.js';
import { ingest } from '../../src/intel/index.js';
import { verifyLog } from '../../src/ledger/index.js';
import { defaultValidator } from '../../src/stix/index.js';
import {
  agreementBetween,
  cli,
  type Network,
  network,
  restartServer,
  stopServer,
  type TestNode,
} from '../network/harness.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 6, 1, 8, 0, 0);
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';

const stat = (count: number, median: number | null, p90: number | null, max: number | null) => ({
  count,
  median,
  p90,
  max,
});
const none = stat(0, null, null, null);
const sh = (within: number, of: number) => ({
  within,
  of,
  share: of === 0 ? null : Math.round((within / of) * 1e4) / 1e4,
});
/** Drops the evidence lists (checked apart) so rows compare on their figures. */
const figures = <T extends { evidence: number[] }>(rows: T[]) => rows.map(({ evidence: _e, ...r }) => r);

function indicator(i: number, marking: string) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    created: '2026-07-01T00:00:00.000Z',
    modified: '2026-07-01T06:00:00.000Z',
    name: `indicator ${i}`,
    pattern: `[ipv4-addr:value = '10.0.0.${i}']`,
    pattern_type: 'stix',
    valid_from: '2026-07-01T00:00:00.000Z',
    object_marking_refs: [marking],
  };
}

export function complianceSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`compliance measures on three nodes (${backend})`, () => {
    const clock = new ManualClock(T0);
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let c: TestNode;
    let agr = '';
    const H = (n: TestNode): Hotline => n.node.hotline;
    const flush = async () => {
      for (let i = 0; i < 2; i++) for (const n of [a, b, c]) await n.node.outbox.pass();
    };
    const ids: Record<string, string> = {};
    let report: ComplianceReport;
    const Q3 = parsePeriod('2026-Q3');
    const note = (over: Partial<MessageInput>): MessageInput => ({
      agreement: agr,
      kind: 'notification',
      channel: 'technical',
      urgency: 'high',
      recipients: ['cert-b'],
      subject: 'Intrusion at a power utility',
      description: 'Unlawful access to SCADA historians.',
      category: 'art2.4',
      rsit: 'intrusions',
      incident: `inc--${randomUUID()}`,
      stage: 'early-warning',
      ...over,
    });

    before(async () => {
      net = network({ backend, clock });
      a = await net.add('cert-a', 'CERT of Arcadia');
      b = await net.add('cert-b', 'CERT of Borduria');
      c = await net.add('cert-c', 'CERT of Carpathia');
      agr = await agreementBetween(a, [b, c], 'Compliance');
      const poc = (id: string, role: 'technical' | 'policy') => ({
        id,
        role,
        kind: 'desk' as const,
        name: id,
        channels: ['parley:hotline'],
        languages: ['en'],
        timezone: 'UTC',
        hours: '24/7',
      });
      await a.node.peer.directory.add(poc('a-duty', 'technical'));
      await b.node.peer.directory.add(poc('desk-1', 'technical'));
      await c.node.peer.directory.add(poc('c-duty', 'technical'));
      // C's entry was last confirmed long ago: stale under the default 180 days.
      await c.node.peer.directory.add({ ...poc('c-old', 'policy'), confirmed_on: '2025-06-01' });
      for (const n of [a, b, c]) await n.node.peer.directory.publish();

      // S1, T0: a notification to B, received after 5 min, acknowledged 20 min later.
      ids.s1 = (await H(a).send(note({}))).id;
      clock.advance(5 * MIN);
      await flush();
      clock.advance(20 * MIN);
      await H(b).ack(ids.s1, { poc: 'desk-1' });
      await flush();
      // S2, T0+1h: a request for information (medium), received after 2 min, acknowledged at
      // 3 h 2 min, answered at 13 h 2 min.
      clock.advance(35 * MIN);
      ids.s2 = (
        await H(a).send(
          note({ kind: 'rfi', urgency: 'medium', incident: null, stage: null, category: null, rsit: null }),
        )
      ).id;
      clock.advance(2 * MIN);
      await flush();
      clock.advance(3 * HOUR);
      await H(b).ack(ids.s2, { poc: 'desk-1' });
      await flush();
      clock.advance(10 * HOUR);
      ids.s2r = (await H(b).respond(ids.s2, { description: 'Here is what we know.', subject: 'Answer' })).id;
      await flush();
      // S3, T0+14h02m: a critical notification to C while C is down: one failed attempt, then
      // delivered 1 min later; never acknowledged, so escalated twice.
      await stopServer(c);
      ids.s3 = (await H(a).send(note({ urgency: 'critical', recipients: ['cert-c'] }))).id;
      await flush();
      await restartServer(c);
      clock.advance(MIN);
      await flush();
      clock.advance(HOUR);
      await H(a).checkDeadlines();
      await flush();
      // S4, T0+15h03m: pings of every partner POC; B answers in 30 min, C never.
      await H(a).runPings({});
      clock.advance(MIN);
      await flush();
      clock.advance(29 * MIN);
      const pingToB = (await H(b).inbox()).find((m) => m.kind === 'ping')!;
      await H(b).ack(pingToB.id, { poc: 'desk-1' });
      await flush();
      // S5: threat intel: two GREEN and one CLEAR indicator from A to B and C.
      const bundle = JSON.stringify({
        type: 'bundle',
        id: 'bundle--00000000-0000-4000-8000-000000000001',
        objects: [indicator(1, GREEN), indicator(2, GREEN), indicator(3, CLEAR)],
      });
      await ingest(
        { database: a.node.database, validator: defaultValidator() },
        (async function* () {
          yield bundle;
        })(),
        { collection: 'local', worker: 'never' },
      );
      await a.node.exchange.sync();
      await flush();
      // Two days on: deadlines are judged, the second re-send climbs to crisis.
      clock.advance(48 * HOUR);
      await H(a).checkDeadlines();
      await flush();
      report = await a.node.compliance.report({ agreement: agr, period: Q3 });
    });
    after(() => net.close());

    test('the report is what the scenario implies, figure by figure', async () => {
      if (process.env.SHOW_REPORT)
        (await import('node:fs')).writeFileSync(process.env.SHOW_REPORT, JSON.stringify(report));
      assert.equal(report.node, 'cert-a');
      assert.equal(report.period.id, '2026-Q3');
      const row = (over: Record<string, unknown>) => ({
        toAck: none,
        toResponse: none,
        ackWithinDeadline: sh(0, 0),
        responseWithinDeadline: sh(0, 0),
        overdue: 0,
        escalations: 0,
        ...over,
      });
      // By hand: S1 received 5 min, acknowledged 25 min after creation; S2 received 2 min,
      // acknowledged 3 h 2 min, answered 13 h 2 min; S3 and its two re-sends (formal-inquiry, then
      // crisis) received after 1 min, 0 and 0, never acknowledged: the first two deadlines (1 h
      // each) have passed, the last (1 h after the report's instant) has not. B's answer reached A
      // at once.
      const ab = { from: 'cert-a', to: 'cert-b' };
      const ac = { from: 'cert-a', to: 'cert-c' };
      const abAll = row({
        messages: 2,
        toReceipt: stat(2, (5 * MIN + 2 * MIN) / 2, 5 * MIN, 5 * MIN),
        toAck: stat(2, (25 * MIN + 182 * MIN) / 2, 182 * MIN, 182 * MIN),
        toResponse: stat(1, 782 * MIN, 782 * MIN, 782 * MIN),
        ackWithinDeadline: sh(2, 2),
        responseWithinDeadline: sh(1, 1),
      });
      const acAll = row({
        messages: 3,
        toReceipt: stat(3, 0, MIN, MIN),
        ackWithinDeadline: sh(0, 2),
        overdue: 2,
        escalations: 2,
      });
      const ba = row({ messages: 1, toReceipt: stat(1, 0, 0, 0) });
      assert.deepEqual(figures(report.real.responsiveness), [
        { id: 'responsiveness/*>cert-a/*/*', from: '*', to: 'cert-a', kind: '*', urgency: '*', ...ba },
        { id: 'responsiveness/*>cert-b/*/*', from: '*', to: 'cert-b', kind: '*', urgency: '*', ...abAll },
        { id: 'responsiveness/*>cert-c/*/*', from: '*', to: 'cert-c', kind: '*', urgency: '*', ...acAll },
        { id: 'responsiveness/cert-a>cert-b/*/*', ...ab, kind: '*', urgency: '*', ...abAll },
        {
          id: 'responsiveness/cert-a>cert-b/notification/high',
          ...ab,
          kind: 'notification',
          urgency: 'high',
          ...row({
            messages: 1,
            toReceipt: stat(1, 5 * MIN, 5 * MIN, 5 * MIN),
            toAck: stat(1, 25 * MIN, 25 * MIN, 25 * MIN),
            ackWithinDeadline: sh(1, 1),
          }),
        },
        {
          id: 'responsiveness/cert-a>cert-b/rfi/medium',
          ...ab,
          kind: 'rfi',
          urgency: 'medium',
          ...row({
            messages: 1,
            toReceipt: stat(1, 2 * MIN, 2 * MIN, 2 * MIN),
            toAck: stat(1, 182 * MIN, 182 * MIN, 182 * MIN),
            toResponse: stat(1, 782 * MIN, 782 * MIN, 782 * MIN),
            ackWithinDeadline: sh(1, 1),
            responseWithinDeadline: sh(1, 1),
          }),
        },
        { id: 'responsiveness/cert-a>cert-c/*/*', ...ac, kind: '*', urgency: '*', ...acAll },
        {
          id: 'responsiveness/cert-a>cert-c/notification/critical',
          ...ac,
          kind: 'notification',
          urgency: 'critical',
          ...acAll,
        },
        {
          id: 'responsiveness/cert-b>cert-a/*/*',
          from: 'cert-b',
          to: 'cert-a',
          kind: '*',
          urgency: '*',
          ...ba,
        },
        {
          id: 'responsiveness/cert-b>cert-a/response/medium',
          from: 'cert-b',
          to: 'cert-a',
          kind: 'response',
          urgency: 'medium',
          ...ba,
        },
      ]);
      // Pings: every partner POC (B: desk-1; C: c-duty, c-old), 24 h to acknowledge; B's in 30 min.
      assert.deepEqual(figures(report.real.pings), [
        {
          id: 'pings/cert-a>cert-b',
          ...ab,
          sent: 1,
          delivered: 1,
          acknowledged: 1,
          ackWithinDeadline: sh(1, 1),
          toAck: stat(1, 30 * MIN, 30 * MIN, 30 * MIN),
          failingPocs: [],
        },
        {
          id: 'pings/cert-a>cert-c',
          ...ac,
          sent: 2,
          delivered: 2,
          acknowledged: 0,
          ackWithinDeadline: sh(0, 2),
          toAck: none,
          failingPocs: ['cert-c/c-duty', 'cert-c/c-old'],
        },
      ]);
      // Three indicators (modified 06:00) reached B and C at 23:33: 17 h 33 min each.
      const late = 17 * HOUR + 33 * MIN;
      const labels = [
        { type: 'indicator', tlp: 'TLP:CLEAR', objects: 1 },
        { type: 'indicator', tlp: 'TLP:GREEN', objects: 2 },
      ];
      assert.deepEqual(figures(report.real.exchange), [
        {
          id: 'exchange/cert-a>cert-b',
          ...ab,
          objects: 3,
          batches: 1,
          byLabel: labels,
          timeliness: stat(3, late, late, late),
        },
        {
          id: 'exchange/cert-a>cert-c',
          ...ac,
          objects: 3,
          batches: 1,
          byLabel: labels,
          timeliness: stat(3, late, late, late),
        },
      ]);
      assert.deepEqual(figures(report.real.reciprocity), [
        { id: 'reciprocity/cert-a>cert-b', peer: 'cert-b', shared: 3, received: 0, ratio: null },
        { id: 'reciprocity/cert-a>cert-c', peer: 'cert-c', shared: 3, received: 0, ratio: null },
      ]);
      // To B: S1, S2, the ping, the batch. To C: S3 (two attempts), two re-sends, two backup-POC
      // alerts, two pings, two ping-failed alerts, the batch.
      assert.deepEqual(figures(report.real.availability), [
        {
          id: 'availability/cert-b',
          peer: 'cert-b',
          items: 4,
          delivered: 4,
          refused: 0,
          pending: 0,
          attempts: 4,
          failedAttempts: 0,
          reachability: sh(4, 4),
        },
        {
          id: 'availability/cert-c',
          peer: 'cert-c',
          items: 10,
          delivered: 10,
          refused: 0,
          pending: 0,
          attempts: 11,
          failedAttempts: 1,
          reachability: sh(10, 11),
        },
      ]);
      const due = new Date(T0 + 60 * 24 * HOUR).toISOString();
      const at = new Date(T0).toISOString();
      assert.deepEqual(
        figures(report.checks.authorities),
        ['cert-a', 'cert-b', 'cert-c'].map((n) => ({
          id: `authorities/${n}`,
          node: n,
          exchangedAt: at,
          due,
          onTime: true,
        })),
      );
      assert.deepEqual(figures(report.checks.stale), [
        { id: 'stale/cert-a', node: 'cert-a', entries: 1, stale: 0, stalePocs: [] },
        { id: 'stale/cert-b', node: 'cert-b', entries: 1, stale: 0, stalePocs: [] },
        { id: 'stale/cert-c', node: 'cert-c', entries: 2, stale: 1, stalePocs: ['c-old'] },
      ]);
      assert.deepEqual(report.exercise, { responsiveness: [], pings: [], availability: [] });
      const empty = {
        messages: 0,
        medianAckMs: null,
        ackWithinShare: null,
        pingsAcknowledged: 0,
        pingsSent: 0,
        objectsShared: 0,
        objectsReceived: 0,
        reachability: null,
      };
      assert.deepEqual(report.trend, [
        ...['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2'].map((period) => ({ period, ...empty })),
        {
          period: '2026-Q3',
          messages: 6,
          medianAckMs: (25 * MIN + 182 * MIN) / 2,
          ackWithinShare: 0.5,
          pingsAcknowledged: 1,
          pingsSent: 3,
          objectsShared: 6,
          objectsReceived: 0,
          reachability: Math.round((14 / 15) * 1e4) / 1e4,
        },
      ]);
      // Every figure names ledger entries that the report lists, each one in cert-a's ledger.
      const listed = new Map(report.entries.map((t) => [t[0], fromTuple(t)]));
      for (const rows of [...Object.values(report.real), ...Object.values(report.checks)])
        for (const r of rows as { id: string; evidence: number[] }[])
          for (const i of r.evidence) {
            const e = listed.get(i);
            assert.ok(e, `${r.id}: entry ${i} is listed`);
            assert.equal((await a.node.ledger.entry(i))?.envelopeHash, e.hash);
          }
      const s1 = report.real.responsiveness.find(
        (r) => r.id === 'responsiveness/cert-a>cert-b/notification/high',
      )!;
      assert.deepEqual(
        s1.evidence.map((i) => listed.get(i)!.kind),
        ['hotline.message', 'hotline.ack'],
      );
      assert.equal(listed.get(s1.evidence[0]!)!.receipt, new Date(T0 + 5 * MIN).toISOString());
    });

    test('the report is signed, renders in every format, and verifies on both sides of a pair', async () => {
      const { checkReportSignature, render } = await import('../../src/compliance/index.js');
      assert.ok(checkReportSignature(report, a.node.ledger.publicKey));
      assert.ok(!checkReportSignature({ ...report, asOf: T0.toString() }, a.node.ledger.publicKey));
      const html = render(report, 'html');
      assert.match(html, /<svg /);
      assert.doesNotMatch(html, /<script|<link|src="http/);
      assert.match(render(report, 'md'), /\| responsiveness\/cert-a>cert-b\/notification\/high \|/);
      assert.match(render(report, 'csv'), /^section,figure,field,value,evidence\n/);
      const own = await a.node.compliance.verify(JSON.parse(JSON.stringify(report)));
      assert.deepEqual(
        { ok: own.ok, figures: own.figures, rows: own.rows, entries: own.entries },
        { ok: true, figures: [], rows: [], entries: [] },
      );
      const atB = await b.node.compliance.verify(JSON.parse(JSON.stringify(report)));
      assert.deepEqual(
        { ok: atB.ok, figures: atB.figures, entries: atB.entries },
        { ok: true, figures: [], entries: [] },
      );
    });

    test('parley report and parley report verify on the command line', async () => {
      const file = `${a.data}/q3.json`;
      const made = await cli(a, 'report', '--agreement', agr, '--period', '2026-Q3', '--out', file);
      assert.equal(made.code, 0, made.err);
      const ok = await cli(b, 'report', 'verify', file);
      assert.equal(ok.code, 0, ok.out + ok.err);
      assert.match(ok.out, /^ok: every figure recomputes/m);
      const bad = await cli(a, 'report', '--agreement', agr, '--period', '2026-Q5');
      assert.equal(bad.code, 1);
      assert.match(bad.err, /period "2026-Q5" is not a month/);
      const md = await cli(a, 'report', '--agreement', agr, '--period', '2026-07', '--format', 'md');
      assert.match(md.out, /^# Compliance report of cert-a, agreement /);
    });

    test('exercise traffic is reported apart and changes no real figure', async () => {
      const ex = await H(a).send(note({ exercise: true, urgency: 'low' }));
      await H(a).runPings({ exercise: true, pocs: ['cert-b/desk-1'] });
      await flush();
      clock.advance(10 * MIN);
      await H(b).ack(ex.id, { poc: 'desk-1' });
      await flush();
      const after = await a.node.compliance.report({ agreement: agr, period: Q3 });
      assert.equal(
        JSON.stringify(after.real),
        JSON.stringify(report.real).replace(/x^/, ''),
        'real figures unchanged',
      );
      assert.deepEqual(after.checks, report.checks);
      const exRow = after.exercise.responsiveness.find(
        (r) => r.id === 'responsiveness/cert-a>cert-b/notification/low',
      )!;
      assert.equal(exRow.messages, 1);
      assert.deepEqual(exRow.toAck, stat(1, 10 * MIN, 10 * MIN, 10 * MIN));
      assert.deepEqual(
        figures(after.exercise.pings).map((p) => [p.id, p.sent, p.delivered]),
        [['pings/cert-a>cert-b', 1, 1]],
      );
      assert.deepEqual(
        after.exercise.availability.map((r) => [r.peer, r.items]),
        [['cert-b', 2]],
      );
      report = after;
    });

    test('a row changed behind the protocol is named by report verify, a ledger row also by ledger verify', async () => {
      const db = a.node.database.db;
      const json = JSON.parse(JSON.stringify(report));
      // 1. The acknowledgement time of S1 at A's hotline.
      const row = await db
        .selectFrom('hotline_recipients')
        .selectAll()
        .where('message_id', '=', ids.s1!)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('hotline_recipients')
        .set({ acknowledged_at: new Date(T0 + 2 * MIN).toISOString() })
        .where('message_id', '=', ids.s1!)
        .execute();
      let v = await a.node.compliance.verify(json);
      assert.equal(v.ok, false);
      assert.deepEqual(
        v.rows.map((p) => [p.table, p.key, p.field]),
        [['hotline_recipients', `${ids.s1}/cert-b`, 'acknowledged_at']],
      );
      await db
        .updateTable('hotline_recipients')
        .set({ acknowledged_at: row.acknowledged_at })
        .where('message_id', '=', ids.s1!)
        .execute();

      // 2. The facts of S1's envelope (urgency high -> low): the figures move and the row says so.
      const s1 = report.real.responsiveness.find(
        (r) => r.id === 'responsiveness/cert-a>cert-b/notification/high',
      )!;
      const hash = report.entries.find((t) => t[0] === s1.evidence[0])![1];
      const ev = await db
        .selectFrom('compliance_evidence')
        .selectAll()
        .where('envelope_hash', '=', hash)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('compliance_evidence')
        .set({ facts: ev.facts.replace('"urgency":"high"', '"urgency":"low"') })
        .where('envelope_hash', '=', hash)
        .execute();
      v = await a.node.compliance.verify(json);
      assert.equal(v.ok, false);
      assert.ok(
        v.figures.some(
          (f) =>
            f.figure === 'responsiveness/cert-a>cert-b/notification/high' &&
            f.reportedEntries.some((e) => e.hash === hash),
        ),
      );
      assert.deepEqual(
        v.rows.map((p) => [p.table, p.key, p.field]),
        [['hotline_messages', ids.s1, 'urgency']],
      );
      await db
        .updateTable('compliance_evidence')
        .set({ facts: ev.facts })
        .where('envelope_hash', '=', hash)
        .execute();

      // 3. A kept receipt's time: its signature no longer matches.
      const kept = await db
        .selectFrom('ledger_receipts')
        .selectAll()
        .where('envelope_hash', '=', hash)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('ledger_receipts')
        .set({ received: new Date(T0 + MIN).toISOString() })
        .where('envelope_hash', '=', hash)
        .execute();
      v = await a.node.compliance.verify(json);
      assert.equal(v.ok, false);
      assert.deepEqual(
        v.rows.map((p) => [p.table, p.key, p.entry]),
        [['ledger_receipts', `${hash}/cert-b`, s1.evidence[0]]],
      );
      // ... and a report made from the edited row disagrees with B's ledger, which names the entry.
      const forged = JSON.parse(
        JSON.stringify(await a.node.compliance.report({ agreement: agr, period: Q3 })),
      );
      const atB = await b.node.compliance.verify(forged);
      assert.equal(atB.ok, false);
      assert.ok(
        atB.figures.some(
          (f) => f.figure === 'responsiveness/cert-a>cert-b/notification/high' && f.field === 'toReceipt',
        ),
      );
      assert.deepEqual(
        atB.entries.map((e) => [e.problem, e.entry.hash]),
        [['time_differs', hash]],
      );
      await db
        .updateTable('ledger_receipts')
        .set({ received: kept.received })
        .where('envelope_hash', '=', hash)
        .execute();

      // 4. A ledger entry: ledger verify names it, and report verify carries that.
      const entry = await db
        .selectFrom('ledger_entries')
        .selectAll()
        .where('idx', '=', s1.evidence[1]!)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('ledger_entries')
        .set({ time: new Date(T0 + 3 * MIN).toISOString() })
        .where('idx', '=', entry.idx)
        .execute();
      const log = await verifyLog(a.node.database);
      assert.deepEqual([log.ok, log.problem?.kind, log.problem?.index], [false, 'entry_altered', entry.idx]);
      v = await a.node.compliance.verify(json);
      assert.equal(v.ok, false);
      assert.equal(v.ledger.problem?.index, entry.idx);
      assert.ok(
        v.figures.some(
          (f) => f.figure === 'responsiveness/cert-a>cert-b/notification/high' && f.field === 'toAck',
        ),
      );
      await db.updateTable('ledger_entries').set({ time: entry.time }).where('idx', '=', entry.idx).execute();
      assert.equal((await a.node.compliance.verify(json)).ok, true);
    });
  });
}
