import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from 'typebox/value';
import { isParleyError, ManualClock } from '../../core/index.js';
import { generateIdentity, toB64u } from '../../crypto/index.js';
import { agreementIdOf, buildDocument, type Channel } from '../../pact/index.js';
import { type HotlineMessage, MESSAGE_KINDS, type MessageKind } from '../types.js';
import { checkMessage } from './check.js';
import { type ComposeInput, composeMessage } from './compose.js';
import { HotlineMessageSchema, MESSAGE_FIELDS } from './fields.js';

const ids = ['cert-a', 'cert-b', 'cert-c'].map((nodeId) => generateIdentity({ nodeId }));
const parties = ids.map((i, n) => ({
  node: i.nodeId,
  party: `Party ${'ABC'[n]}`,
  signing_key: toB64u(i.signing.publicKey),
  agreement_key: toB64u(i.agreement.publicKey),
}));
const now = Date.parse('2026-05-08T09:30:00.000Z');
const agreement = buildDocument({
  terms: { languages: ['en', 'ru', 'zh'] },
  proposer: 'cert-a',
  parties,
  now,
});
const techOnly = buildDocument({
  terms: { channels: ['technical'], sharing: { default_tlp: null } },
  proposer: 'cert-a',
  parties,
  now,
});
const AGR = agreementIdOf(agreement);
const clock = new ManualClock(now);
let n = 0;
const newId = () => `msg--00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const ctx = { agreement, clock, sender: { node: 'cert-a', poc: 'soc-desk' }, newId };
const THREAD = 'msg--11111111-1111-4111-8111-111111111111';
const INCIDENT = 'inc--22222222-2222-4222-8222-222222222222';

const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-05-08T09:00:00.000Z',
  modified: '2026-05-08T09:00:00.000Z',
  pattern: "[ipv4-addr:value = '198.51.100.7']",
  pattern_type: 'stix',
  valid_from: '2026-05-08T09:00:00Z',
  object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'],
};

/** One valid input per kind: only what a duty officer would type. */
const INPUTS: Record<MessageKind, ComposeInput> = {
  notification: {
    kind: 'notification',
    channel: 'technical',
    urgency: 'high',
    incident: INCIDENT,
    stage: 'early-warning',
    category: 'art2.2',
    rsit: 'availability',
    subject: 'DDoS on the national electricity exchange',
    description: 'Volumetric attack since 07:10 UTC; suspected malicious; mitigation under way.',
    affected_sectors: ['energy'],
    critical_infrastructure: true,
    suspected_malicious: 'yes',
    cross_border: 'unknown',
    requested_response_hours: 24,
    stix: [indicator],
  },
  rfa: {
    kind: 'rfa',
    channel: 'technical',
    urgency: 'critical',
    subject: 'Assistance: block C2 servers in your networks',
    description: 'The servers listed in the attached indicators control the botnet.',
    stix: [indicator],
  },
  rfi: {
    kind: 'rfi',
    channel: 'technical',
    urgency: 'medium',
    subject: 'Information on address 198.51.100.7',
    description: 'Have you observed traffic from this address since 1 May?',
  },
  inquiry: {
    kind: 'inquiry',
    channel: 'formal-inquiry',
    urgency: 'high',
    category: 'art2.1',
    subject: 'Formal inquiry: intrusion into the foreign ministry network',
    description: 'We ask for your assessment of activity originating from your territory.',
    language: 'ru',
  },
  advisory: {
    kind: 'advisory',
    channel: 'technical',
    urgency: 'low',
    subject: 'Vulnerability in widely deployed VPN gateways',
    description: 'Remedy: apply vendor update 4.2.1; workaround: disable the web portal.',
    tlp: 'TLP:GREEN',
    language: 'zh-Hans',
  },
  response: {
    kind: 'response',
    channel: 'technical',
    urgency: 'high',
    thread: THREAD,
    in_reply_to: THREAD,
    subject: 'Re: Assistance',
    description: 'Two of the three servers are offline.',
  },
  closure: {
    kind: 'closure',
    channel: 'technical',
    urgency: 'low',
    thread: THREAD,
    in_reply_to: THREAD,
    subject: 'Closed: DDoS on the electricity exchange',
  },
  ping: { kind: 'ping', channel: 'crisis', subject: 'Communication check', exercise: true },
  'permission-request': {
    kind: 'permission-request',
    channel: 'technical',
    urgency: 'medium',
    subject: 'May we share indicator with all parties?',
    permission: { object_refs: [indicator.id], share_with: ['agreement'], tlp: 'TLP:GREEN' },
  },
  'permission-grant': {
    kind: 'permission-grant',
    channel: 'technical',
    urgency: 'medium',
    thread: THREAD,
    in_reply_to: THREAD,
    subject: 'Re: May we share',
    permission: { object_refs: [indicator.id], share_with: ['cert-c'], tlp: 'TLP:GREEN', granted: true },
  },
};

const valid = (kind: MessageKind = 'notification'): HotlineMessage => composeMessage(INPUTS[kind], ctx);

/** Asserts that checkMessage refuses `value` with `code`, naming `field` in details and message. */
function refused(value: unknown, code: string, field: string, agr = agreement, text?: RegExp): void {
  assert.throws(
    () => checkMessage(value, agr),
    (e: unknown) => {
      assert.ok(isParleyError(e), `not a ParleyError: ${String(e)}`);
      assert.equal(e.code, code, e.message);
      assert.equal(e.status, 400);
      assert.equal(e.details.field, field, e.message);
      assert.ok(e.message.startsWith(`hotline message: ${field} `), e.message);
      if (text) assert.match(e.message, text);
      return true;
    },
  );
}
const withField = (m: HotlineMessage, patch: Record<string, unknown>) => ({ ...m, ...patch });

test('every kind composes to a valid message that survives a JSON round trip and matches the JSON Schema', () => {
  for (const kind of MESSAGE_KINDS) {
    const m = valid(kind);
    assert.equal(m.kind, kind);
    const again = checkMessage(JSON.parse(JSON.stringify(m)), agreement);
    assert.deepEqual(again, m);
    assert.ok(Value.Check(HotlineMessageSchema, m), `${kind} does not match the JSON Schema`);
  }
});

test('composeMessage fills the defaults from the agreement and the clock', () => {
  const m = valid('ping');
  assert.equal(m.schema, 'parley/hotline/1');
  assert.match(m.id, /^msg--/);
  assert.equal(m.thread, m.id);
  assert.equal(m.created, '2026-05-08T09:30:00.000Z');
  assert.equal(m.agreement, AGR);
  assert.deepEqual(m.sender, { node: 'cert-a', party: 'Party A', poc: 'soc-desk' });
  assert.deepEqual(m.recipients, ['cert-b', 'cert-c']);
  assert.equal(m.urgency, 'low');
  assert.equal(m.tlp, 'TLP:AMBER');
  assert.equal(m.pap, 'PAP:CLEAR');
  assert.equal(m.language, 'en');
  assert.equal(m.exercise, true);
  assert.deepEqual(
    [m.in_reply_to, m.incident, m.stage, m.category, m.rsit, m.permission],
    [null, null, null, null, null, null],
  );
  assert.deepEqual([m.stix, m.affected_sectors], [[], []]);
  assert.deepEqual([m.suspected_malicious, m.cross_border], ['unknown', 'unknown']);
  // An agreement without a sharing default still labels the message.
  const t = composeMessage(
    { kind: 'ping', channel: 'technical', subject: 'check' },
    { ...ctx, agreement: techOnly },
  );
  assert.equal(t.tlp, 'TLP:AMBER');
  // What the caller gives wins.
  const r = composeMessage({ ...INPUTS.rfi, tlp: 'TLP:RED', recipients: ['cert-b'] }, ctx);
  assert.equal(r.tlp, 'TLP:RED');
  assert.deepEqual(r.recipients, ['cert-b']);
});

test('a reply composed without its thread is refused (the thread cannot be guessed)', () => {
  assert.throws(
    () => composeMessage({ ...INPUTS.response, thread: undefined }, ctx),
    (e: unknown) => isParleyError(e) && e.code === 'hotline.invalid_message' && e.details.field === 'thread',
  );
});

test('structure: not an object, missing field, unknown field, wrong types are refused naming the field', () => {
  const m = valid();
  refused([m], 'hotline.invalid_message', 'message');
  for (const field of Object.keys(MESSAGE_FIELDS)) {
    if (field === 'kind') continue;
    const { [field]: _, ...rest } = m as unknown as Record<string, unknown>;
    refused(rest, 'hotline.invalid_message', field, agreement, /is missing/);
  }
  refused({ ...m, priority: 'p1' }, 'hotline.invalid_message', 'priority', agreement, /unknown field/);
  refused(withField(m, { schema: 'parley/hotline/2' }), 'hotline.invalid_message', 'schema');
  refused(withField(m, { id: 'msg--not-a-uuid' }), 'hotline.invalid_message', 'id');
  refused(withField(m, { id: 'msg--ABCDEF00-0000-4000-8000-000000000001' }), 'hotline.invalid_message', 'id');
  refused(withField(m, { thread: 42 }), 'hotline.invalid_message', 'thread');
  refused(withField(m, { incident: 'inc-1' }), 'hotline.invalid_message', 'incident');
  refused(withField(m, { stage: 'preliminary' }), 'hotline.invalid_message', 'stage');
  refused(
    withField(m, { urgency: 'urgent' }),
    'hotline.invalid_message',
    'urgency',
    agreement,
    /critical, high/,
  );
  refused(withField(m, { tlp: 'TLP:WHITE' }), 'hotline.invalid_message', 'tlp');
  refused(withField(m, { pap: 'PAP:WHITE' }), 'hotline.invalid_message', 'pap');
  refused(withField(m, { suspected_malicious: true }), 'hotline.invalid_message', 'suspected_malicious');
  refused(withField(m, { cross_border: 'maybe' }), 'hotline.invalid_message', 'cross_border');
  refused(
    withField(m, { critical_infrastructure: 'yes' }),
    'hotline.invalid_message',
    'critical_infrastructure',
  );
  refused(withField(m, { exercise: 0 }), 'hotline.invalid_message', 'exercise');
  refused(
    withField(m, { requested_response_hours: 0 }),
    'hotline.invalid_message',
    'requested_response_hours',
  );
  refused(
    withField(m, { requested_response_hours: 9000 }),
    'hotline.invalid_message',
    'requested_response_hours',
  );
  refused(
    withField(m, { affected_sectors: ['Energy Sector'] }),
    'hotline.invalid_message',
    'affected_sectors',
    agreement,
    /item 0/,
  );
  refused(
    withField(m, { affected_sectors: ['energy', 'energy'] }),
    'hotline.invalid_message',
    'affected_sectors',
  );
  refused(withField(m, { language: 'english' }), 'hotline.invalid_message', 'language');
  refused(withField(m, { created: '2026-05-08T09:30:00Z' }), 'hotline.invalid_message', 'created');
  refused(withField(m, { created: '2026-02-30T09:30:00.000Z' }), 'hotline.invalid_message', 'created');
  refused(withField(m, { agreement: 'agr-1' }), 'hotline.invalid_message', 'agreement');
  refused(
    withField(m, { sender: { node: 'cert-a', party: 'Party A' } }),
    'hotline.invalid_message',
    'sender.poc',
    agreement,
    /is missing/,
  );
  refused(
    withField(m, { sender: { ...m.sender, poc: 'Soc Desk' } }),
    'hotline.invalid_message',
    'sender.poc',
  );
  refused(withField(m, { sender: 'cert-a' }), 'hotline.invalid_message', 'sender');
  refused(withField(m, { stix: [indicator, 'x'] }), 'hotline.invalid_message', 'stix', agreement, /item 1/);
});

test('sizes are bounded: subject 300, description 20,000, 1,000 STIX objects', () => {
  const m = valid('rfi');
  assert.ok(
    checkMessage(withField(m, { subject: 's'.repeat(300), description: 'd'.repeat(20_000) }), agreement),
  );
  refused(withField(m, { subject: 's'.repeat(301) }), 'hotline.invalid_message', 'subject', agreement, /300/);
  // Characters are code points, as in JSON Schema: 300 emoji (600 UTF-16 units) fit.
  assert.ok(checkMessage(withField(m, { subject: '😀'.repeat(300) }), agreement));
  refused(withField(m, { subject: '' }), 'hotline.invalid_message', 'subject');
  refused(withField(m, { subject: '   ' }), 'hotline.invalid_message', 'subject', agreement, /blank/);
  refused(
    withField(m, { subject: 'two\nlines' }),
    'hotline.invalid_message',
    'subject',
    agreement,
    /one line/,
  );
  refused(
    withField(m, { description: 'd'.repeat(20_001) }),
    'hotline.invalid_message',
    'description',
    agreement,
    /20000/,
  );
  refused(
    withField(m, { stix: Array.from({ length: 1001 }, () => indicator) }),
    'hotline.invalid_message',
    'stix',
    agreement,
    /1000/,
  );
  refused(
    withField(m, { subject: 'lone \ud800 surrogate' }),
    'hotline.invalid_message',
    'message',
    agreement,
    /canonical JSON/,
  );
});

test('an unknown kind is refused with hotline.unknown_kind', () => {
  refused(
    withField(valid(), { kind: 'gossip' }),
    'hotline.unknown_kind',
    'kind',
    agreement,
    /"gossip" is unknown/,
  );
  refused(withField(valid(), { kind: null }), 'hotline.unknown_kind', 'kind');
  const { kind: _, ...noKind } = valid();
  refused(noKind, 'hotline.invalid_message', 'kind', agreement, /is missing/);
});

test('a channel the agreement does not enable is refused with hotline.channel_not_enabled', () => {
  const m = composeMessage(INPUTS.rfi, { ...ctx, agreement: techOnly });
  const crisis = withField(m, { channel: 'crisis' satisfies Channel });
  refused(
    crisis,
    'hotline.channel_not_enabled',
    'channel',
    techOnly,
    /"crisis" is not enabled by agreement agr-[0-9a-f]{64}/,
  );
  refused(withField(m, { channel: 'carrier-pigeon' }), 'hotline.invalid_message', 'channel', techOnly);
  // composeMessage checks too: nothing wrong leaves the sender.
  assert.throws(
    () => composeMessage({ ...INPUTS.rfi, channel: 'crisis' }, { ...ctx, agreement: techOnly }),
    (e: unknown) => isParleyError(e) && e.code === 'hotline.channel_not_enabled',
  );
});

test('sender and recipients must be parties of the agreement; recipients exclude the sender, once each', () => {
  const m = valid('rfi');
  refused(
    withField(m, { sender: { ...m.sender, node: 'cert-z' } }),
    'hotline.invalid_message',
    'sender.node',
    agreement,
    /not a party/,
  );
  refused(
    withField(m, { sender: { ...m.sender, party: 'Party B' } }),
    'hotline.invalid_message',
    'sender.party',
  );
  refused(withField(m, { recipients: [] }), 'hotline.invalid_message', 'recipients');
  refused(
    withField(m, { recipients: ['cert-b', 'cert-b'] }),
    'hotline.invalid_message',
    'recipients[1]',
    agreement,
    /twice/,
  );
  refused(
    withField(m, { recipients: ['cert-a'] }),
    'hotline.invalid_message',
    'recipients[0]',
    agreement,
    /sender/,
  );
  refused(
    withField(m, { recipients: ['cert-b', 'cert-z'] }),
    'hotline.invalid_message',
    'recipients[1]',
    agreement,
    /not a party/,
  );
});

test('language: a BCP 47 tag among the agreement working languages (zh admits zh-Hans)', () => {
  const m = valid('rfi');
  assert.equal(checkMessage(withField(m, { language: 'ZH-Hant' }), agreement).language, 'ZH-Hant');
  refused(
    withField(m, { language: 'fr' }),
    'hotline.invalid_message',
    'language',
    agreement,
    /working language/,
  );
  const t = composeMessage(INPUTS.rfi, { ...ctx, agreement: techOnly });
  refused(withField(t, { language: 'ru' }), 'hotline.invalid_message', 'language', techOnly, /\(en\)/);
});

test('taxonomy: category is a code of the agreement, rsit one of its classes', () => {
  const m = valid('notification');
  refused(
    withField(m, { category: 'art9.9' }),
    'hotline.invalid_message',
    'category',
    agreement,
    /art2\.1, art2\.2/,
  );
  refused(withField(m, { rsit: 'fraud' }), 'hotline.invalid_message', 'rsit', agreement, /category art2\.2/);
  const r = valid('rfi');
  assert.equal(checkMessage(withField(r, { category: 'art2.4' }), agreement).rsit, null);
  refused(withField(r, { rsit: 'fraud' }), 'hotline.invalid_message', 'rsit', agreement, /needs a category/);
});

test('per-kind rules', () => {
  const note = valid('notification');
  for (const f of ['incident', 'stage', 'category', 'rsit'])
    refused(
      withField(note, { [f]: null }),
      'hotline.invalid_message',
      f,
      agreement,
      /required for a notification/,
    );
  refused(withField(note, { description: ' ' }), 'hotline.invalid_message', 'description');
  refused(withField(valid('inquiry'), { category: null, rsit: null }), 'hotline.invalid_message', 'category');
  refused(
    withField(valid('rfi'), { stage: 'final' }),
    'hotline.invalid_message',
    'stage',
    agreement,
    /null for a rfi/,
  );
  for (const kind of ['response', 'closure', 'permission-grant'] as const)
    refused(withField(valid(kind), { in_reply_to: null }), 'hotline.invalid_message', 'in_reply_to');
  const ping = valid('ping');
  refused(
    withField(ping, { category: 'art2.1' }),
    'hotline.invalid_message',
    'category',
    agreement,
    /null for a ping/,
  );
  refused(withField(ping, { incident: INCIDENT }), 'hotline.invalid_message', 'incident');
  refused(withField(ping, { stix: [indicator] }), 'hotline.invalid_message', 'stix');
  refused(withField(ping, { thread: THREAD, in_reply_to: THREAD }), 'hotline.invalid_message', 'in_reply_to');
  refused(withField(valid('closure'), { category: 'art2.1' }), 'hotline.invalid_message', 'category');
  // A reply cannot start its own thread, nor answer itself.
  const resp = valid('response');
  refused(withField(resp, { thread: resp.id }), 'hotline.invalid_message', 'thread');
  refused(withField(resp, { in_reply_to: resp.id }), 'hotline.invalid_message', 'in_reply_to');
});

test('sharing permission: request without granted, grant with it, parties or "agreement" to share with', () => {
  const req = valid('permission-request');
  const grant = valid('permission-grant');
  refused(
    withField(req, { permission: null }),
    'hotline.invalid_message',
    'permission',
    agreement,
    /required/,
  );
  refused(
    withField(req, { permission: { ...req.permission, granted: true } }),
    'hotline.invalid_message',
    'permission.granted',
  );
  refused(
    withField(grant, { permission: { ...req.permission } }),
    'hotline.invalid_message',
    'permission.granted',
    agreement,
    /required in a grant/,
  );
  refused(
    withField(grant, { permission: { ...grant.permission, granted: 'yes' } }),
    'hotline.invalid_message',
    'permission.granted',
  );
  refused(
    withField(req, { permission: { ...req.permission, share_with: ['cert-z'] } }),
    'hotline.invalid_message',
    'permission.share_with[0]',
  );
  refused(
    withField(req, { permission: { ...req.permission, object_refs: ['not-stix'] } }),
    'hotline.invalid_message',
    'permission.object_refs',
  );
  refused(
    withField(req, { permission: { ...req.permission, tlp: 'TLP:WHITE' } }),
    'hotline.invalid_message',
    'permission.tlp',
  );
  refused(
    withField(req, { permission: { ...req.permission, note: 'x' } }),
    'hotline.invalid_message',
    'permission.note',
  );
  refused(
    withField(valid('rfi'), { permission: req.permission }),
    'hotline.invalid_message',
    'permission',
    agreement,
    /null for a rfi/,
  );
  assert.equal(
    checkMessage(withField(grant, { permission: { ...grant.permission, granted: false } }), agreement)
      .permission?.granted,
    false,
  );
});

test('attached STIX objects pass the STIX 2.1 validator; the error names the index and the STIX rule', () => {
  const m = valid('rfa');
  const { pattern_type: _, ...noPatternType } = indicator;
  refused(
    withField(m, { stix: [indicator, noPatternType] }),
    'hotline.invalid_message',
    'stix[1]',
    agreement,
    /pattern_type.*\[stix\.required\]/,
  );
  refused(
    withField(m, { stix: [{ ...indicator, pattern: "[ipv4-addr:value = '198.51.100.7'" }] }),
    'hotline.invalid_message',
    'stix[0]',
    agreement,
    /not valid STIX 2\.1/,
  );
  refused(
    withField(m, {
      stix: [
        { ...indicator, object_marking_refs: ['marking-definition--3a64e5b4-95f3-4a59-8a0b-1d3f1b2f1c0a'] },
      ],
    }),
    'hotline.invalid_message',
    'stix[0]',
  );
  try {
    checkMessage(withField(m, { stix: [indicator, noPatternType] }), agreement);
  } catch (e) {
    assert.ok(isParleyError(e));
    assert.equal(e.details.index, 1);
    assert.equal(e.details.rule, 'stix.required');
  }
});
