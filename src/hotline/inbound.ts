/**
 * The receiving side: the handlers of `hotline.message`, `hotline.ack` and `hotline.alert`, each
 * run by the peer inbox in the transaction that also logs the envelope and signs the receipt.
 * Each is idempotent on the id it carries: a re-delivery (after a lost answer) changes nothing and
 * returns the answer of the first delivery.
 */
import type { Transaction } from 'kysely';
import { conflict, notFound, ParleyError } from '../core/index.js';
import type { Schema } from '../store/index.js';
import { type HotlineContext, nowIso } from './context.js';
import type { HotlineInbox } from './deps.js';
import { checkMessage } from './model/index.js';
import { pingAcknowledged } from './ping-records.js';
import { deadlinesOf } from './policy.js';
import {
  closeThread,
  getMessage,
  getRecipient,
  insertAlert,
  insertMessage,
  insertRecipient,
  recordRecipient,
} from './records.js';
import { HOTLINE_ACK_ENVELOPE, HOTLINE_ENVELOPE } from './types.js';
import { HOTLINE_ALERT_ENVELOPE, parseAckPayload, parseAlertPayload, parseMessagePayload } from './wire.js';

interface Inbound {
  opened: { envelope: { id: string; agreement: string | null; sender: { node: string } } };
  payload: unknown;
  tx: Transaction<Schema>;
}

export function registerInbound(c: HotlineContext, inbox: HotlineInbox): void {
  inbox.on(HOTLINE_ENVELOPE, (ctx) => receiveMessage(c, ctx));
  inbox.on(HOTLINE_ACK_ENVELOPE, (ctx) => receiveAck(c, ctx));
  inbox.on(HOTLINE_ALERT_ENVELOPE, (ctx) => receiveAlert(c, ctx));
}

const exists = (c: HotlineContext, table: 'hotline_messages' | 'hotline_alerts', id: string) => async () =>
  !!(await c.database.db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst());

/** The agreement in force that an envelope travels under; the inbox has checked it is in force. */
async function agreementOf(c: HotlineContext, ctx: Inbound) {
  const id = ctx.opened.envelope.agreement;
  if (id === null)
    throw new ParleyError('hotline.no_agreement', 'hotline traffic must travel under an agreement', 403);
  const view = await c.pacts.effective(id, ctx.tx);
  if (!view.inForce)
    throw new ParleyError('hotline.agreement_not_in_force', `agreement ${id} is not in force here`, 403);
  return view.inForce;
}

async function receiveMessage(c: HotlineContext, ctx: Inbound) {
  const { tx } = ctx;
  const from = ctx.opened.envelope.sender.node;
  const p = parseMessagePayload(ctx.payload);
  const id = (p.message as { id?: unknown }).id;
  const prior = typeof id === 'string' ? await getMessage(tx, id) : undefined;
  if (prior) {
    if (prior.direction !== 'in' || prior.sender_node !== from)
      throw conflict('hotline.duplicate_id', `message id ${id} is already used here by another message`);
    return { message: prior.id, recipient: c.self, received: prior.received_at };
  }
  const doc = await agreementOf(c, ctx);
  const m = checkMessage(p.message, doc);
  if (m.agreement !== ctx.opened.envelope.agreement)
    throw new ParleyError(
      'hotline.agreement_mismatch',
      `message ${m.id} names another agreement than its envelope`,
      403,
    );
  if (m.sender.node !== from)
    throw new ParleyError(
      'hotline.sender_mismatch',
      `message ${m.id} names sender ${m.sender.node}, but ${from} sent it`,
      403,
    );
  if (!m.recipients.includes(c.self))
    throw new ParleyError('hotline.not_a_recipient', `message ${m.id} is not addressed to ${c.self}`, 403);
  const at = nowIso(c);
  await insertMessage(tx, m, { direction: 'in', escalates: p.escalates, toPoc: p.poc, receivedAt: at });
  const due = deadlinesOf(doc, m);
  await insertRecipient(tx, {
    message: m.id,
    recipient: c.self,
    state: 'delivered',
    ackDue: due.ackDue,
    respondDue: due.respondDue,
    at,
    deliveredAt: at,
  });
  // An answer moves the state of the message it answers, at the sender's side of that message.
  if (m.kind === 'response' && m.in_reply_to) {
    const asked = await getMessage(tx, m.in_reply_to);
    if (asked?.direction === 'out' && asked.thread === m.thread) {
      const s = await recordRecipient(
        tx,
        asked.id,
        from,
        'responded',
        { responded_at: at, response_id: m.id },
        at,
      );
      if (s)
        c.events.afterCommit(exists(c, 'hotline_messages', m.id), 'state', {
          message: asked.id,
          thread: m.thread,
          recipient: from,
          state: s,
          at,
        });
    }
  }
  if (m.kind === 'closure') await closeThread(tx, m.thread, from, at);
  c.events.afterCommit(exists(c, 'hotline_messages', m.id), 'message', {
    id: m.id,
    thread: m.thread,
    kind: m.kind,
    from,
    exercise: m.exercise,
  });
  return { message: m.id, recipient: c.self, received: at };
}

async function receiveAck(c: HotlineContext, ctx: Inbound) {
  const { tx } = ctx;
  const from = ctx.opened.envelope.sender.node;
  const p = parseAckPayload(ctx.payload);
  const sent = await getMessage(tx, p.message);
  const row = sent?.direction === 'out' ? await getRecipient(tx, p.message, from) : undefined;
  if (!sent || !row || sent.thread !== p.thread)
    throw notFound('hotline.unknown_message', `no message ${p.message} was sent from here to ${from}`);
  const at = nowIso(c);
  if (row.acknowledged_at !== null)
    return {
      message: p.message,
      acknowledged: row.acknowledged_at,
      within: withinOf(row.ack_due, row.acknowledged_at),
    };
  // The POC's own time, but never later than its arrival here (a clock ahead proves nothing).
  const ackAt = Date.parse(p.acknowledged) > c.clock.now() ? at : p.acknowledged;
  const state = await recordRecipient(
    tx,
    p.message,
    from,
    'acknowledged',
    { acknowledged_at: ackAt, ack_poc: p.poc, ack_received_at: at },
    at,
  );
  const within = withinOf(row.ack_due, ackAt);
  if (sent.kind === 'ping') await pingAcknowledged(c, tx, p.message, ackAt, p.poc);
  const probe = async () => (await getRecipient(c.database.db, p.message, from))?.acknowledged_at === ackAt;
  c.events.afterCommit(probe, 'state', {
    message: p.message,
    thread: p.thread,
    recipient: from,
    state: state ?? 'acknowledged',
    at: ackAt,
    within,
  });
  return { message: p.message, acknowledged: ackAt, within };
}

const withinOf = (due: number | null, at: string): boolean | null =>
  due === null ? null : Date.parse(at) <= Number(due);

async function receiveAlert(c: HotlineContext, ctx: Inbound) {
  const { tx } = ctx;
  const from = ctx.opened.envelope.sender.node;
  const a = parseAlertPayload(ctx.payload);
  const prior = await tx.selectFrom('hotline_alerts').selectAll().where('id', '=', a.id).executeTakeFirst();
  if (prior) {
    if (prior.direction !== 'in' || prior.node !== from)
      throw conflict('hotline.duplicate_id', `alert id ${a.id} is already used here`);
    return { alert: a.id, received: prior.created_at };
  }
  await agreementOf(c, ctx);
  const at = nowIso(c);
  await insertAlert(tx, {
    id: a.id,
    kind: a.kind,
    direction: 'in',
    node: from,
    poc: a.poc,
    reason: a.reason,
    message: a.message,
    thread: a.thread,
    text: a.text,
    exercise: a.exercise,
    at,
  });
  c.events.afterCommit(exists(c, 'hotline_alerts', a.id), 'alert', {
    id: a.id,
    kind: a.kind,
    direction: 'in',
    node: from,
    poc: a.poc,
    reason: a.reason,
  });
  return { alert: a.id, received: at };
}
