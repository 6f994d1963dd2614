/**
 * The hotline commands in-process against two real nodes on 127.0.0.1 (SQLite and PostgreSQL):
 * send with flags and from files, delivery reported with the receipt or "queued: will retry",
 * inbox, message and thread timelines in English, Russian and Chinese, ack, respond, close,
 * deadlines and alerts, ping tests, templates. The CLI runs on the system clock; the overdue case
 * moves a deadline into the past in the database instead of waiting for it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { t, vocabulary } from '../../src/hotline/index.js';
import {
  agreementBetween,
  cli,
  type Network,
  network,
  restartServer,
  stopServer,
  type TestNode,
} from '../network/harness.js';
import { BACKENDS } from '../support/backends.js';
import { runCli, tempDirs } from '../support/cli.js';

const HOUR = 3_600_000;
const tmp = tempDirs('parley-hotline-cli-');
const lastLine = (out: string) => out.trim().split('\n').at(-1)!;

test('template: the standard text in the three languages, and JSON for send --file', async () => {
  const data = path.join(tmp(), 'none');
  const en = await runCli('template', 'rfi', '--data', data);
  assert.equal(en.code, 0, en.err);
  assert.match(
    en.out,
    /^Request for information\nSubject: Request for information: \[topic\]\nDescription:\n {2}/,
  );
  const ru = await runCli('template', 'notification', '--stage', 'final', '--lang', 'ru', '--data', data);
  assert.match(ru.out, /^Уведомление об инциденте — Итоговый отчёт\nТема: /);
  const zh = await runCli('template', 'advisory', '--lang', 'zh', '--data', data);
  assert.match(zh.out, /^安全通告\n主题：/);
  const json = JSON.parse((await runCli('template', 'notification', '--json', '--data', data)).out);
  assert.deepEqual(Object.keys(json), ['kind', 'stage', 'language', 'subject', 'description']);
  assert.equal(json.stage, 'early-warning');
  const bad = await runCli('template', 'postcard', '--data', data);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /unknown kind "postcard" .*\[hotline\.unknown_kind\]/);
  const badLang = await runCli('template', 'rfi', '--lang', 'fr', '--data', data);
  assert.equal(badLang.code, 1);
  assert.match(badLang.err, /--lang must be one of en, ru, zh, got "fr"/);
});

for (const backend of BACKENDS) {
  describe(`hotline CLI (${backend.name})`, () => {
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let agr = '';
    before(async () => {
      net = network({ backend: backend.name });
      a = await net.add('cert-a', 'CERT of Arcadia');
      b = await net.add('cert-b', 'CERT of Borduria');
      agr = await agreementBetween(a, [b], 'Hotline');
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
      await b.node.peer.directory.add(poc('desk-2', 'technical'));
      await b.node.peer.directory.add(poc('mfa', 'policy'));
      for (const n of [a, b]) await n.node.peer.directory.publish();
    });
    after(() => net.close());

    const notify = (...extra: string[]) =>
      cli(
        a,
        'send',
        'notification',
        '--agreement',
        agr,
        '--urgency',
        'high',
        '--category',
        'art2.4',
        '--rsit',
        'intrusions',
        '--subject',
        'Intrusion at a power utility',
        '--description',
        'Unlawful access to SCADA historians.',
        '--sector',
        'energy',
        '--critical-infrastructure',
        '--malicious',
        'yes',
        '--cross-border',
        'unknown',
        '--tlp',
        'amber',
        '--poc',
        'a-duty',
        ...extra,
      );

    let first = '';

    test('send with flags: delivered with the signed receipt; B reads it in three languages, acks, A sees it in time', async () => {
      const r = await notify();
      assert.equal(r.code, 0, r.err);
      first = lastLine(r.out);
      assert.match(first, /^msg--[0-9a-f-]{36}$/);
      assert.match(r.out, new RegExp(`^sent ${first} \\(thread ${first}\\)$`, 'm'));
      assert.match(r.out, /^cert-b: delivered; signed receipt: received \S+Z, envelope [0-9a-f]{64}$/m);
      const sent = await a.node.hotline.message(first);
      assert.deepEqual(sent.message.affected_sectors, ['energy']);
      assert.equal(sent.message.critical_infrastructure, true);
      assert.equal(sent.message.suspected_malicious, 'yes');
      assert.equal(sent.message.tlp, 'TLP:AMBER');
      assert.equal(sent.message.stage, 'early-warning');
      assert.match(sent.message.incident ?? '', /^inc--/);
      assert.equal(sent.message.language, 'en', 'the message records its language');

      const inboxEn = await cli(b, 'inbox');
      assert.match(
        inboxEn.out,
        new RegExp(`${first}  Incident notification — Early warning  High  cert-a  delivered  Intrusion`),
      );
      const inboxRu = await cli(b, 'inbox', '--lang', 'ru');
      assert.match(
        inboxRu.out,
        /Уведомление об инциденте — Раннее предупреждение {2}Высокая {2}cert-a {2}доставлено {2}Intrusion/,
      );
      const inboxZh = await cli(b, 'inbox', '--lang', 'zh');
      assert.match(inboxZh.out, /事件通报 — 早期预警 {2}高 {2}cert-a {2}已送达 {2}Intrusion/);
      // Labels in the reader's language, the text as written, and which language that is.
      for (const lang of ['en', 'ru', 'zh'] as const) {
        const m = await cli(b, 'message', first, '--lang', lang);
        const v = vocabulary(lang);
        assert.equal(m.code, 0, m.err);
        assert.ok(m.out.includes(`${v.fields.urgency}${v.colon}${v.urgencies.high}`), `${lang}: ${m.out}`);
        assert.ok(m.out.includes(`${v.fields.subject}${v.colon}Intrusion at a power utility`));
        assert.equal(
          m.out.includes(v.fields.language),
          lang !== 'en',
          'the language line only for another reader',
        );
      }
      assert.match((await cli(b, 'message', first, '--lang', 'ru')).out, /Срочность: Высокая/);

      const ack = await cli(b, 'ack', first, '--poc', 'desk-1');
      assert.equal(ack.code, 0, ack.err);
      assert.match(
        ack.out,
        new RegExp(`^acknowledged ${first} as desk-1\ncert-a: delivered; signed receipt`),
      );
      assert.equal(
        (await cli(b, 'inbox')).out,
        'no messages',
        'acknowledged and no answer owed: nothing waits',
      );
      assert.match((await cli(b, 'inbox', '--all')).out, new RegExp(first));

      const th = await cli(a, 'thread', first);
      assert.equal(th.code, 0, th.err);
      assert.match(th.out, new RegExp(`^thread ${first}: Intrusion at a power utility$`, 'm'));
      assert.match(
        th.out,
        /^ {4}cert-b: sent \S+; delivered \S+; acknowledged \S+ by desk-1; acknowledged within deadline$/m,
      );
      assert.match(
        (await cli(a, 'thread', first, '--lang', 'ru')).out,
        /принято в работу в установленный срок/,
      );
      assert.match((await cli(a, 'thread', first, '--lang', 'zh')).out, /已在时限内确认受理/);
      assert.equal(t('zh', 'deadline.acknowledged_within'), '已在时限内确认受理');
    });

    test('with B down, send reports "queued: will retry" and the server delivers it later', async () => {
      await stopServer(b);
      let id = '';
      try {
        const r = await cli(
          a,
          'send',
          'advisory',
          '--agreement',
          agr,
          '--urgency',
          'low',
          '--subject',
          'Patch now',
          '--description',
          'CVE-2026-0001',
        );
        assert.equal(r.code, 0, r.err);
        id = lastLine(r.out);
        assert.match(r.out, /^cert-b: queued: will retry \(.+\)$/m);
        assert.equal((await a.node.hotline.message(id)).recipients[0]!.state, 'queued');
      } finally {
        await restartServer(b);
      }
      // The retry is the running server's worker's (with backoff); the test makes the pass itself.
      await a.node.database.db
        .updateTable('outbox')
        .set({ next_attempt_at: 0 })
        .where('ref', '=', id)
        .execute();
      await a.node.outbox.pass();
      assert.equal((await a.node.hotline.message(id)).recipients[0]!.state, 'delivered');
    });

    test('send from a YAML or JSON file (a filled-in template), flags over the file; bad input names the flag', async () => {
      const dir = tmp();
      const yaml = path.join(dir, 'rfi.yaml');
      writeFileSync(
        yaml,
        `kind: rfi\nagreement: ${agr}\nurgency: medium\nsubject: Who hosts 203.0.113.7?\ndescription: |\n  Please tell us who operates 203.0.113.7.\n  Logs attached.\nrequested_response_hours: 48\n`,
      );
      const y = await cli(a, 'send', 'rfi', '--file', yaml, '--urgency', 'low');
      assert.equal(y.code, 0, y.err);
      const m = (await a.node.hotline.message(lastLine(y.out))).message;
      assert.equal(m.urgency, 'low', 'the flag wins over the file');
      assert.equal(m.requested_response_hours, 48);
      assert.equal(m.description, 'Please tell us who operates 203.0.113.7.\nLogs attached.\n');

      const json = path.join(dir, 'advisory.json');
      writeFileSync(json, (await cli(a, 'template', 'advisory', '--json')).out);
      const j = await cli(a, 'send', 'advisory', '--file', json, '--agreement', agr, '--urgency', 'medium');
      assert.equal(j.code, 0, j.err);
      assert.match((await a.node.hotline.message(lastLine(j.out))).subject, /^Security advisory: \[/);

      const noUrgency = await cli(
        a,
        'send',
        'rfa',
        '--agreement',
        agr,
        '--subject',
        'Help',
        '--description',
        'Please',
      );
      assert.equal(noUrgency.code, 1);
      assert.match(
        noUrgency.err,
        /^parley: hotline message: urgency is missing \(--urgency\) \[hotline\.invalid_message\]$/,
      );
      const badCat = await cli(
        a,
        'send',
        'inquiry',
        '--agreement',
        agr,
        '--urgency',
        'high',
        '--subject',
        'S',
        '--description',
        'D',
        '--category',
        'art9',
      );
      assert.match(badCat.err, /category "art9" is not in the taxonomy.*\(--category\)/);
      const badHours = await cli(
        a,
        'send',
        'rfi',
        '--agreement',
        agr,
        '--urgency',
        'low',
        '--subject',
        'S',
        '--description',
        'D',
        '--respond-within',
        'soon',
      );
      assert.match(badHours.err, /--respond-within must be a number of hours, got "soon"/);
      assert.equal((await cli(a, 'send', 'rfi', '--malicious', 'maybe')).code, 2, 'a usage error');
      const wrongKind = await cli(a, 'send', 'rfa', '--file', yaml);
      assert.match(wrongKind.err, /is a rfi message, not a rfa/);
      const noAgreement = await cli(
        a,
        'send',
        'rfi',
        '--urgency',
        'low',
        '--subject',
        'S',
        '--description',
        'D',
      );
      assert.match(noAgreement.err, /agreement is missing \(--agreement ID\)/);
      const broken = path.join(dir, 'broken.yaml');
      writeFileSync(broken, 'kind: [rfi\n');
      assert.match((await cli(a, 'send', 'rfi', '--file', broken)).err, /is not valid YAML/);
    });

    test('an unacknowledged request: "overdue by N h" in the timeline, deadlines escalates, alerts lists it', async () => {
      const r = await cli(
        a,
        'send',
        'rfa',
        '--agreement',
        agr,
        '--urgency',
        'high',
        '--subject',
        'Take down a C2 server',
        '--description',
        'At 198.51.100.9',
      );
      assert.equal(r.code, 0, r.err);
      const id = lastLine(r.out);
      const pending = await cli(a, 'thread', id);
      assert.match(
        pending.out,
        /cert-b: sent \S+; delivered \S+; acknowledgement due \S+ \(due in 4 h\); response due \S+$/m,
      );
      // Three hours past the acknowledgement deadline, without waiting three hours.
      await a.node.database.db
        .updateTable('hotline_recipients')
        .set({ ack_due: Date.now() - 3 * HOUR })
        .where('message_id', '=', id)
        .execute();
      assert.match(
        (await cli(a, 'thread', id)).out,
        /cert-b: sent \S+; delivered \S+; overdue by 3 h; response due/,
      );
      assert.match((await cli(a, 'thread', id, '--lang', 'ru')).out, /просрочено на 3 ч/);
      assert.match((await cli(a, 'thread', id, '--lang', 'zh')).out, /已逾期 3 小时/);
      assert.match(
        (await cli(a, 'sent')).out,
        new RegExp(`${id}  Request for assistance  High  cert-a  cert-b: delivered \\(overdue\\)`),
      );

      const d = await cli(a, 'deadlines');
      assert.equal(d.code, 0, d.err);
      assert.match(
        d.out,
        new RegExp(
          `^${id} to cert-b: acknowledgement overdue; escalated from Technical \\(CERT to CERT\\) to Formal inquiry \\(24/7 desk\\) as msg--`,
          'm',
        ),
      );
      assert.equal((await cli(a, 'deadlines')).out, 'no deadline missed', 'each deadline fires once');
      const al = await cli(a, 'alerts', '--direction', 'local');
      assert.match(
        al.out,
        new RegExp(`duty officer alert  raised here  acknowledgement overdue  a-duty  ${id}  `),
      );
      assert.match(
        (await cli(a, 'alerts', '--lang', 'ru', '--direction', 'local')).out,
        /оповещение дежурного {2}на этом узле {2}просрочено принятие в работу/,
      );
      const th = await cli(a, 'thread', id);
      assert.match(th.out, /channels: technical → formal-inquiry/);
      assert.match(th.out, /^! .*duty officer alert/m);
    });

    test('respond and close: the answer reaches A in the thread, the closure reaches B', async () => {
      const r = await cli(
        b,
        'respond',
        first,
        '--description',
        'Contained; indicators attached next.',
        '--poc',
        'desk-1',
      );
      assert.equal(r.code, 0, r.err);
      const resp = lastLine(r.out);
      assert.match(r.out, new RegExp(`^responded to ${first} with ${resp}\ncert-a: delivered`));
      assert.equal((await a.node.hotline.message(resp)).subject, 'Re: Intrusion at a power utility');
      assert.equal((await b.node.hotline.message(first)).recipients[0]!.state, 'responded');
      const c = await cli(a, 'close', first);
      assert.equal(c.code, 0, c.err);
      assert.match(c.out, new RegExp(`^closed thread ${first} with msg--\\S+\ncert-b: delivered`));
      assert.match((await cli(a, 'thread', first)).out, /^closed \S+ by cert-a$/m);
      const again = await cli(a, 'close', first);
      assert.equal(again.code, 1);
      assert.match(again.err, /is already closed \[hotline\.thread_closed\]/);
      assert.match(
        (await cli(b, 'ack', 'msg--00000000-0000-4000-8000-000000000000', '--poc', 'desk-1')).err,
        /no message msg--0{8}/,
      );
    });

    test('ping schedule, run and results', async () => {
      assert.equal((await cli(a, 'ping', 'schedule')).out, 'no ping test scheduled');
      const s = await cli(a, 'ping', 'schedule', '--every', '30');
      assert.match(
        s.out,
        /^ping test every 30 days of every partner point of contact; next \S+; last run never$/,
      );
      assert.match(
        (await cli(a, 'ping', 'schedule', '--lang', 'ru')).out,
        /^проверка связи каждые 30 дн\.: все контактные лица партнёров/,
      );
      const run = await cli(a, 'ping', 'run');
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /^ping run \S+: 3 point\(s\) of contact$/m);
      const pings = await a.node.hotline.pingResults({ run: lastLine(run.out) });
      const toDesk1 = pings.pings.find((p) => p.poc === 'desk-1')!;
      assert.equal((await cli(b, 'ack', toDesk1.message!, '--poc', 'desk-1')).code, 0);
      const res = await cli(a, 'ping', 'results');
      assert.match(res.out, /: 1 passed, 0 failed, 2 pending$/m);
      assert.match(res.out, /cert-b\/desk-1: passed {2}acknowledged in [\d.]+ min by desk-1/);
      assert.match((await cli(a, 'ping', 'results', '--lang', 'zh')).out, /通过 1，未通过 0，待定 2/);
    });
  });
}
