/**
 * Consultations between three real nodes on 127.0.0.1 sharing one ManualClock: A and B hold an
 * agreement, C is a peer of both (with its own agreement with A) but no party of it. What A and B
 * write reaches the other and never C; a measure goes overdue by the clock and its completion
 * travels back; repeated and forged entries are answered without a second write. Run by
 * consult.sqlite.test.ts and consult.postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { COMPLIANCE_REPORT_CONTEXT, type Consultations } from '../../src/consult/index.js';
import { isParleyError, ManualClock } from '../../src/core/index.js';
import { canonicalBytes, sign, signingInput, toB64u } from '../../src/crypto/index.js';
import {
  agreementBetween,
  cli,
  type Network,
  network,
  restartServer,
  stopServer,
  type TestNode,
} from './harness.js';

const DAY = 86_400_000;

const stixReport = () => ({
  type: 'report',
  spec_version: '2.1',
  id: `report--${randomUUID()}`,
  created: '2026-01-02T00:00:00.000Z',
  modified: '2026-01-02T00:00:00.000Z',
  name: 'Joint threat assessment: attacks on water utilities',
  report_types: ['threat-report'],
  published: '2026-01-02T00:00:00.000Z',
  object_refs: [`threat-actor--${randomUUID()}`],
});
const code = (c: string) => (e: unknown) => isParleyError(e) && e.code === c;

export function consultSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`consultations over HTTP (${backend})`, () => {
    const clock = new ManualClock(Date.now());
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let c: TestNode;
    let ab = '';
    let ac = '';
    let cons = '';
    const K = (n: TestNode): Consultations => n.node.consultations;

    before(async () => {
      net = network({ backend, clock });
      a = await net.add('cert-a', 'CERT of Arcadia');
      b = await net.add('cert-b', 'CERT of Borduria');
      c = await net.add('cert-c', 'CERT of Carpathia');
      ab = await agreementBetween(a, [b], 'A-B');
      ac = await agreementBetween(a, [c], 'A-C');
      // C and B are peers too: C could reach B, but is no party of A-B.
      await agreementBetween(b, [c], 'B-C');
    });
    after(() => net.close());

    const flush = async () => {
      for (let i = 0; i < 2; i++) for (const n of [a, b, c]) await n.node.outbox.pass();
    };
    const rows = async (n: TestNode) =>
      Number(
        (
          await n.node.database.db
            .selectFrom('consult_entries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    test('A schedules under A-B: B holds the same record signed by A, C holds nothing', async () => {
      const s = await K(a).schedule({
        agreement: ab,
        title: 'Annual consultation on implementation',
        date: '2026-03-10',
        agenda: ['Implementation of Article 5', 'Emerging threats'],
        participants: ['MFA Arcadia', 'CERT Borduria'],
      });
      cons = s.consultation.id;
      const items = await a.node.outbox.byRef(s.entry);
      assert.deepEqual(
        items.map((i) => [i.peer, i.type, i.agreement]),
        [['cert-b', 'consult.entry', ab]],
      );
      await flush();
      assert.equal((await a.node.outbox.byRef(s.entry))[0]?.state, 'delivered');
      const atB = await K(b).show(cons);
      assert.deepEqual(atB, s.consultation);
      assert.equal(atB.signedBy.node, 'cert-a');
      assert.equal(atB.signedBy.key, toB64u(a.node.identity.signing.publicKey));
      assert.deepEqual(await K(c).list(), []);
      assert.equal(await rows(c), 0);
      await assert.rejects(K(c).show(cons), code('consult.unknown_consultation'));
    });

    test('documents: a STIX report and a signed compliance report reach B with the same hash', async () => {
      const report = stixReport();
      const s1 = await K(a).attachDocument(cons, {
        kind: 'stix-report',
        title: 'Threat assessment',
        content: report,
      });
      clock.advance(1000);
      const body = {
        agreement: ab,
        period: '2025',
        figures: { notifications: 12, acknowledged_in_time: 11 },
      };
      const signed = {
        report: body,
        sig: toB64u(
          sign(b.node.identity.signing, signingInput(COMPLIANCE_REPORT_CONTEXT, canonicalBytes(body))),
        ),
        key: toB64u(b.node.identity.signing.publicKey),
      };
      const s2 = await K(b).attachDocument(cons, {
        kind: 'compliance-report',
        title: 'Compliance 2025',
        content: signed,
      });
      await flush();
      for (const n of [a, b]) {
        const v = await K(n).show(cons, { content: true });
        assert.deepEqual(
          v.documents.map((d) => [d.id, d.kind, d.signedBy.node, d.reportKey]),
          [
            [s1.document, 'stix-report', 'cert-a', null],
            [s2.document, 'compliance-report', 'cert-b', signed.key],
          ],
        );
        assert.deepEqual(v.documents[0]!.content, report);
        assert.equal(
          v.documents[1]!.sha256,
          s2.consultation.documents.find((d) => d.id === s2.document)!.sha256,
        );
      }
      // Refused before anything is written or queued.
      const before = await rows(a);
      await assert.rejects(
        K(a).attachDocument(cons, {
          kind: 'stix-report',
          title: 'x',
          content: { ...report, object_refs: [] },
        }),
        code('consult.invalid_stix'),
      );
      await assert.rejects(
        K(a).attachDocument(cons, {
          kind: 'compliance-report',
          title: 'x',
          content: { ...signed, report: { ...body, period: '2024' } },
        }),
        code('consult.bad_report_signature'),
      );
      assert.equal(await rows(a), before);
    });

    test('minutes: versions by either party, in the same order on both sides', async () => {
      const m1 = await K(a).recordMinutes(cons, 'Draft minutes by Arcadia.');
      clock.advance(1000);
      await flush();
      const m2 = await K(b).recordMinutes(cons, 'Draft minutes, amended by Borduria.');
      await flush();
      assert.equal(m1.version, 1);
      assert.equal(m2.version, 2);
      for (const n of [a, b])
        assert.deepEqual(
          (await K(n).show(cons)).minutes.map((m) => [m.version, m.signedBy.node, m.text]),
          [
            [1, 'cert-a', 'Draft minutes by Arcadia.'],
            [2, 'cert-b', 'Draft minutes, amended by Borduria.'],
          ],
        );
    });

    test('a measure added by B goes overdue by the clock; done by A, it is done at B', async () => {
      const due = new Date(clock.now() + 3 * DAY).toISOString().slice(0, 10);
      const added = await K(b).addMeasure(cons, {
        title: 'Exchange contact points of sector CERTs',
        owner: 'cert-b',
        due,
      });
      await flush();
      const atA = (await K(a).measures({ consultation: cons }))[0]!;
      assert.deepEqual(
        [atA.id, atA.owner, atA.due, atA.state, atA.overdue, atA.signedBy.node],
        [added.measure, 'cert-b', due, 'open', false, 'cert-b'],
      );
      assert.deepEqual(await K(a).measures({ overdue: true }), []);
      clock.advance(2 * DAY);
      assert.equal(
        (await K(a).measures({ overdue: true })).length,
        0,
        'on its due day it is not yet overdue',
      );
      clock.advance(2 * DAY);
      for (const n of [a, b]) {
        const late = await K(n).measures({ overdue: true });
        assert.deepEqual(
          late.map((m) => m.id),
          [added.measure],
          `${n.name} flags it`,
        );
        assert.equal((await K(n).list())[0]!.overdueMeasures, 1);
      }
      const done = await K(a).updateMeasure(added.measure, {
        state: 'done',
        note: 'Lists exchanged on 12 March',
      });
      assert.equal(done.measure.state, 'done');
      await flush();
      const atB = (await K(b).measures({ consultation: cons }))[0]!;
      assert.equal(atB.state, 'done');
      assert.equal(atB.overdue, false);
      assert.equal(atB.updatedBy, 'cert-a');
      assert.deepEqual(
        atB.updates.map((u) => [u.state, u.note, u.signedBy.node]),
        [['done', 'Lists exchanged on 12 March', 'cert-a']],
      );
      assert.deepEqual(await K(b).measures({ overdue: true }), []);
      await assert.rejects(K(b).updateMeasure(added.measure, { state: 'done' }), code('consult.same_state'));
      await assert.rejects(
        K(a).addMeasure(cons, { title: 'x', owner: 'cert-c', due }),
        code('consult.owner_not_a_party'),
      );
      assert.equal(await rows(c), 0);
    });

    test('a repeated entry changes nothing; a forged, relayed or misdirected one is refused', async () => {
      const entry = JSON.parse(
        (
          await a.node.database.db
            .selectFrom('consult_entries')
            .select('entry')
            .where('kind', '=', 'schedule')
            .executeTakeFirstOrThrow()
        ).entry,
      );
      const send = (from: TestNode, to: string, agreement: string, payload: unknown) =>
        from.node.peer.messenger.send({ to: [to], type: 'consult.entry', agreement, payload });
      const before = await rows(b);
      const again = await send(a, 'cert-b', ab, { entry });
      assert.equal(again[0]!.ok, true);
      assert.equal(await rows(b), before);
      // B relays A's entry to A: only an author sends its own entries.
      const relayed = await send(b, 'cert-a', ab, { entry });
      assert.equal(relayed[0]!.code, 'consult.author_mismatch');
      // Altered after signing.
      const forged = await send(a, 'cert-b', ab, {
        entry: { ...entry, body: { ...entry.body, date: '2027-01-01' } },
      });
      assert.equal(forged[0]!.code, 'consult.bad_signature');
      // C is no party of A-B: its envelope under A-B is refused by the envelope check.
      const fromC = await send(c, 'cert-b', ab, { entry });
      assert.equal(fromC[0]!.ok, false);
      assert.equal(fromC[0]!.status, 403);
      // A's entry for A-B sent under A-C to C: names another agreement than its envelope.
      const wrong = await send(a, 'cert-c', ac, { entry });
      assert.equal(wrong[0]!.code, 'consult.agreement_mismatch');
      assert.equal(await rows(c), 0);
      assert.equal(await rows(b), before);
      assert.deepEqual(await K(b).verify(cons), { entries: before, bad: [] });
    });

    test('B down: the change waits in the outbox and arrives once B is back', async () => {
      await stopServer(b);
      const s = await K(a).recordMinutes(cons, 'Final minutes, agreed.');
      await flush();
      const [item] = await a.node.outbox.byRef(s.entry);
      assert.equal(item?.state, 'pending');
      assert.ok(item!.attempts >= 1);
      await restartServer(b);
      for (let i = 0; i < 2; i++) {
        clock.advance(10 * 60_000);
        await flush();
      }
      assert.equal((await a.node.outbox.byRef(s.entry))[0]?.state, 'delivered');
      const minutes = (await K(b).show(cons)).minutes;
      assert.equal(minutes.at(-1)?.text, 'Final minutes, agreed.');
      assert.equal(minutes.length, 3);
    });

    test('the CLI: schedule, attach, minutes, measures, show and list', async () => {
      // The CLI runs on the system clock: bring the shared clock back near it.
      clock.set(Date.now());
      const sched = await cli(
        a,
        'consult',
        'schedule',
        '--agreement',
        ab,
        '--title',
        'Working group on emerging threats',
        '--date',
        '2026-06-01',
        '--agenda',
        'Ransomware',
        '--participant',
        'CERT A',
      );
      assert.equal(sched.code, 0, sched.err);
      const id = sched.lines.at(-1)!;
      assert.match(id, /^cons-/);
      assert.match(sched.err, /delivered to cert-b/);
      const file = path.join(a.data, 'assessment.json');
      writeFileSync(file, JSON.stringify(stixReport()));
      const att = await cli(a, 'consult', 'attach', id, '--file', file);
      assert.equal(att.code, 0, att.err);
      assert.match(att.lines.at(-1)!, /^doc-/);
      const min = await cli(b, 'consult', 'minutes', id, '--text', 'Minutes of the working group.');
      assert.equal(min.code, 0, min.err);
      assert.equal(min.lines.at(-1), 'minutes v1');
      const m = await cli(
        a,
        'consult',
        'measure',
        'add',
        id,
        '--title',
        'Joint exercise',
        '--owner',
        'cert-a',
        '--due',
        '2020-01-01',
      );
      assert.equal(m.code, 0, m.err);
      const measure = m.lines.at(-1)!;
      const list = await cli(a, 'consult', 'measure', 'list', '--overdue');
      assert.equal(list.code, 1);
      assert.match(list.out, new RegExp(`${measure}.*OVERDUE`));
      const done = await cli(a, 'consult', 'measure', 'done', measure, '--note', 'held');
      assert.equal(done.code, 0, done.err);
      const show = await cli(b, 'consult', 'show', id);
      assert.equal(show.code, 0, show.err);
      assert.match(show.out, /Working group on emerging threats/);
      assert.match(show.out, new RegExp(`${measure}.*done`));
      assert.match(show.out, /document doc-\S+ {2}stix-report {2}assessment\.json/);
      assert.match(show.out, /minutes v1 of 1, by cert-b/);
      const bad = await cli(
        a,
        'consult',
        'schedule',
        '--agreement',
        ab,
        '--title',
        'x',
        '--date',
        '2026-02-30',
      );
      assert.equal(bad.code, 1);
      assert.match(bad.err, /date/);
      const listed = await cli(c, 'consult', 'list');
      assert.equal(listed.code, 0);
      assert.match(listed.out, /no consultations/);
    });
  });
}
