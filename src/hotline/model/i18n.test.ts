import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isParleyError, ManualClock } from '../../core/index.js';
import { generateIdentity, toB64u } from '../../crypto/index.js';
import { buildDocument, CHANNELS, DEFAULT_TAXONOMY, URGENCIES } from '../../pact/index.js';
import { MESSAGE_KINDS, NOTIFICATION_STAGES, RECIPIENT_STATES, TRISTATE } from '../types.js';
import { composeMessage } from './compose.js';
import { MESSAGE_FIELDS, PERMISSION_FIELDS, SENDER_FIELDS } from './fields.js';
import {
  DEFAULT_CATEGORY_CODES,
  FIELD_KEYS,
  READER_LANGS,
  RSIT_CLASSES,
  readerLanguage,
  renderMessage,
  STRINGS,
  TEMPLATES,
  t,
  template,
  VOCABULARIES,
} from './index.js';

const ids = ['cert-a', 'cert-b'].map((nodeId) => generateIdentity({ nodeId }));
const agreement = buildDocument({
  terms: { languages: ['en', 'ru', 'zh'] },
  proposer: 'cert-a',
  parties: ids.map((i, n) => ({
    node: i.nodeId,
    party: n === 0 ? 'Republic A' : 'Republic B',
    signing_key: toB64u(i.signing.publicKey),
    agreement_key: toB64u(i.agreement.publicKey),
  })),
  now: Date.parse('2026-05-08T00:00:00.000Z'),
});
const ctx = {
  agreement,
  clock: new ManualClock(Date.parse('2026-05-08T09:30:00.000Z')),
  sender: { node: 'cert-a', poc: 'soc-desk' },
};

/** Every string leaf of a nested table, with its dotted path. */
function leaves(x: unknown, path = ''): [string, string][] {
  if (typeof x === 'string') return [[path, x]];
  return Object.entries(x as Record<string, unknown>).flatMap(([k, v]) =>
    leaves(v, path ? `${path}.${k}` : k),
  );
}

test('every label and value name exists, non-empty, in English, Russian and Chinese', () => {
  const en = new Map(leaves(VOCABULARIES.en));
  for (const lang of READER_LANGS) {
    const table = new Map(leaves(VOCABULARIES[lang]));
    assert.deepEqual([...table.keys()].sort(), [...en.keys()].sort(), `${lang}: not the same keys as en`);
    for (const [k, v] of table) assert.ok(v.trim().length > 0, `${lang}.${k} is empty`);
  }
  // Translated, not copied: every entry but the punctuation differs from English.
  for (const lang of ['ru', 'zh'] as const) {
    const same = leaves(VOCABULARIES[lang]).filter(
      ([k, v]) => en.get(k) === v && !['colon', 'comma'].includes(k),
    );
    assert.deepEqual(same, [], `${lang} copies English`);
  }
  for (const lang of READER_LANGS) {
    const v = VOCABULARIES[lang];
    for (const k of MESSAGE_KINDS) assert.ok(v.kinds[k], `${lang} kind ${k}`);
    for (const s of NOTIFICATION_STAGES) assert.ok(v.stages[s], `${lang} stage ${s}`);
    for (const u of URGENCIES) assert.ok(v.urgencies[u], `${lang} urgency ${u}`);
    for (const s of [...RECIPIENT_STATES, 'overdue'] as const) assert.ok(v.states[s], `${lang} state ${s}`);
    for (const x of TRISTATE) assert.ok(v.tristate[x]);
    for (const c of CHANNELS) assert.ok(v.channels[c]);
    for (const r of RSIT_CLASSES) assert.ok(v.rsit[r]);
    for (const c of DEFAULT_CATEGORY_CODES) assert.ok(v.categories[c]);
  }
  assert.equal(VOCABULARIES.ru.fields.urgency, 'Срочность');
  assert.equal(VOCABULARIES.zh.fields.urgency, '紧急程度');
});

test('labels cover every field of the schema, nested ones included', () => {
  const schemaKeys = [
    ...Object.keys(MESSAGE_FIELDS),
    ...Object.keys(SENDER_FIELDS).map((k) => `sender.${k}`),
    ...Object.keys(PERMISSION_FIELDS).map((k) => `permission.${k}`),
  ].sort();
  assert.deepEqual([...FIELD_KEYS].sort(), schemaKeys);
});

test('the default taxonomy and its RSIT classes all have names', () => {
  assert.deepEqual(
    DEFAULT_TAXONOMY.map((c) => c.code),
    [...DEFAULT_CATEGORY_CODES],
  );
  for (const c of DEFAULT_TAXONOMY)
    for (const r of c.rsit) assert.ok((RSIT_CLASSES as readonly string[]).includes(r), `${c.code}: ${r}`);
});

test('renderMessage: labels in the reader language, free text as written, a line for another language', () => {
  const m = composeMessage(
    {
      kind: 'notification',
      channel: 'technical',
      urgency: 'high',
      incident: 'inc--22222222-2222-4222-8222-222222222222',
      stage: 'early-warning',
      category: 'art2.2',
      rsit: 'availability',
      subject: 'Атака на энергосистему',
      description: 'Первая строка.\nВторая строка.',
      affected_sectors: ['energy', 'district-heating'],
      critical_infrastructure: true,
      suspected_malicious: 'yes',
      requested_response_hours: 24,
      language: 'ru',
      exercise: true,
    },
    ctx,
  );
  const zh = renderMessage(m, 'zh');
  assert.match(zh, /^事件通报 — 早期预警\n/);
  assert.match(zh, /演练/);
  assert.match(zh, /紧急程度：高\n/);
  assert.match(zh, /威胁类别：经济及其他损害 \(art2\.2\)\n/);
  assert.match(zh, /RSIT 类别：可用性 \(availability\)\n/);
  assert.match(zh, /受影响行业：能源、district-heating\n/);
  assert.match(zh, /涉及关键信息基础设施：是\n/);
  assert.match(zh, /是否有跨境影响：不明\n/);
  assert.match(zh, /要求的答复时限：24 小时\n/);
  assert.match(zh, /正文语言：俄语 \(ru\)\n/);
  assert.match(zh, /主题：Атака на энергосистему\n/);
  assert.match(zh, /\n {2}Первая строка\.\n {2}Вторая строка\.\n$/);

  const ru = renderMessage(m, 'ru');
  assert.match(ru, /^Уведомление об инциденте — Раннее предупреждение\n\*\*\* УЧЕНИЯ/);
  assert.match(ru, /Срочность: Высокая\n/);
  assert.match(ru, /Отправитель: Republic A \(cert-a\) · Контактный пункт soc-desk\n/);
  assert.doesNotMatch(ru, /Язык текста/, 'no language line when the reader reads the language of the text');

  const en = renderMessage(m, 'en');
  assert.match(en, /Urgency: High\n/);
  assert.match(en, /Language of the text: Russian \(ru\)\n/);
  assert.match(en, /Cross-border impact: unknown\n/);
});

test('renderMessage shows a sharing decision and attached STIX in the reader language', () => {
  const m = composeMessage(
    {
      kind: 'permission-grant',
      channel: 'technical',
      urgency: 'low',
      thread: 'msg--11111111-1111-4111-8111-111111111111',
      in_reply_to: 'msg--11111111-1111-4111-8111-111111111111',
      subject: 'OK',
      language: 'en',
      permission: {
        object_refs: ['indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f'],
        share_with: ['agreement'],
        tlp: 'TLP:GREEN',
        granted: false,
      },
    },
    ctx,
  );
  const ru = renderMessage(m, 'ru');
  assert.match(ru, /Решение: отказано\n/);
  assert.match(ru, /Кому передать: всем сторонам соглашения\n/);
  assert.match(ru, /Язык текста: английский \(en\)\n/);
  assert.match(ru, /В ответ на: msg--1111/);
  assert.doesNotMatch(ru, /Описание/, 'an empty description is not shown');
});

test('templates: every kind and notification stage in the three languages, with placeholders', () => {
  for (const lang of READER_LANGS) {
    assert.deepEqual(Object.keys(TEMPLATES[lang]).sort(), Object.keys(TEMPLATES.en).sort());
    for (const kind of MESSAGE_KINDS) {
      const stages = kind === 'notification' ? NOTIFICATION_STAGES : ([undefined] as const);
      for (const stage of stages) {
        const x = template(kind, lang, stage);
        assert.ok(x.subject.length > 0 && x.subject.length <= 300, `${lang} ${kind} ${stage} subject`);
        assert.ok(x.description.length > 0, `${lang} ${kind} ${stage} description`);
        if (lang !== 'en') assert.notEqual(x.description, template(kind, 'en', stage).description);
      }
    }
  }
  assert.match(template('notification', 'ru').subject, /^Раннее предупреждение/);
  assert.match(template('notification', 'zh', 'final').subject, /^最终报告/);
  // A template fills a message that passes the check.
  const tpl = template('notification', 'zh', 'intermediate');
  const m = composeMessage(
    {
      kind: 'notification',
      channel: 'technical',
      urgency: 'medium',
      incident: 'inc--22222222-2222-4222-8222-222222222222',
      stage: 'intermediate',
      category: 'art2.4',
      rsit: 'intrusions',
      language: 'zh',
      ...tpl,
    },
    ctx,
  );
  assert.equal(m.subject, tpl.subject);
});

test('CLI strings: every key in every language, same placeholders, filled by t', () => {
  const keys = Object.keys(STRINGS.en).sort();
  const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
  for (const lang of READER_LANGS) {
    assert.deepEqual(Object.keys(STRINGS[lang]).sort(), keys, `${lang} keys`);
    for (const k of keys) {
      const s = STRINGS[lang][k as keyof typeof STRINGS.en];
      assert.ok(s.trim().length > 0, `${lang} ${k}`);
      assert.deepEqual(
        holes(s),
        holes(STRINGS.en[k as keyof typeof STRINGS.en]),
        `${lang} ${k} placeholders`,
      );
    }
  }
  assert.equal(t('en', 'deadline.overdue_by', { h: 5 }), 'overdue by 5 h');
  assert.equal(t('ru', 'deadline.overdue_by', { h: 5 }), 'просрочено на 5 ч');
  assert.equal(t('zh', 'deadline.overdue_by', { h: 5 }), '已逾期 5 小时');
  assert.equal(t('en', 'escalation.escalated_to', { channel: 'crisis' }), 'escalated to crisis');
  assert.equal(t('zh', 'ping.passed'), '通过');
  assert.equal(t('ru', 'deadline.acknowledged_within'), 'принято в работу в установленный срок');
  assert.throws(
    () => t('en', 'deadline.overdue_by'),
    (e: unknown) => isParleyError(e) && /needs \{h\}/.test(e.message),
  );
});

test('readerLanguage maps BCP 47 tags onto reader languages', () => {
  assert.equal(readerLanguage('zh-Hans-CN'), 'zh');
  assert.equal(readerLanguage('RU'), 'ru');
  assert.equal(readerLanguage('fr'), 'en');
});
