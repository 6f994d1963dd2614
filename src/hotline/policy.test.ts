import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AgreementDocument } from '../pact/index.js';
import { DEFAULT_DEADLINES } from '../pact/index.js';
import { backupPoc, deadlinesOf, isAfter, nextChannel } from './policy.js';

const doc = (channels: AgreementDocument['channels'], deadlines = DEFAULT_DEADLINES.map((d) => ({ ...d }))) =>
  ({ channels, deadlines }) as AgreementDocument;

test('the ladder goes technical, formal-inquiry, crisis, skipping what the agreement does not enable', () => {
  assert.equal(nextChannel(doc(['technical', 'formal-inquiry', 'crisis']), 'technical'), 'formal-inquiry');
  assert.equal(nextChannel(doc(['technical', 'crisis']), 'technical'), 'crisis');
  assert.equal(nextChannel(doc(['technical', 'law-enforcement']), 'technical'), null);
  assert.equal(nextChannel(doc(['technical', 'formal-inquiry', 'crisis']), 'crisis'), null);
  assert.equal(nextChannel(doc(['technical', 'crisis', 'law-enforcement']), 'law-enforcement'), null);
});

test('deadlines: the kind row wins over "*"; answers have none; only questions have a response deadline', () => {
  const d = doc(
    ['technical'],
    [
      ...DEFAULT_DEADLINES.map((x) => ({ ...x })),
      { message_type: 'ping', urgency: 'low', acknowledge_hours: 240, respond_hours: 240 },
    ],
  );
  const t = Date.parse('2026-01-01T00:00:00.000Z');
  const created = '2026-01-01T00:00:00.000Z';
  assert.deepEqual(deadlinesOf(d, { kind: 'notification', urgency: 'critical', created }), {
    ackDue: t + 3_600_000,
    respondDue: null,
  });
  assert.deepEqual(deadlinesOf(d, { kind: 'rfi', urgency: 'high', created }), {
    ackDue: t + 4 * 3_600_000,
    respondDue: t + 72 * 3_600_000,
  });
  assert.equal(deadlinesOf(d, { kind: 'ping', urgency: 'low', created }).ackDue, t + 240 * 3_600_000);
  assert.deepEqual(deadlinesOf(d, { kind: 'response', urgency: 'high', created }), {
    ackDue: null,
    respondDue: null,
  });
});

test("backup point of contact: the channel role's second, else another role's first, else none", () => {
  const p = (id: string, role: string) => ({ owner: 'b', id, role, name: id });
  assert.equal(backupPoc([p('a', 'technical'), p('b', 'technical'), p('c', 'policy')], 'technical')?.id, 'b');
  assert.equal(backupPoc([p('a', 'technical'), p('c', 'policy')], 'technical')?.id, 'c');
  assert.equal(backupPoc([p('a', 'technical'), p('c', 'policy')], 'crisis')?.id, 'a');
  assert.equal(backupPoc([p('a', 'technical')], 'technical'), null);
  assert.equal(backupPoc([], 'crisis'), null);
});

test('states only move forward', () => {
  assert.equal(isAfter('delivered', 'queued'), true);
  assert.equal(isAfter('delivered', 'acknowledged'), false);
  assert.equal(isAfter('closed', 'responded'), true);
});
