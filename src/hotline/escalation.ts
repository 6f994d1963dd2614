/**
 * Missed deadlines, fired once each. A missed acknowledgement deadline escalates, in this order
 * (docs/HOTLINE.md "Escalation"), all in one transaction:
 *   1. an alert for the sender's duty officer, recorded here (kind duty-officer);
 *   2. an alert to the recipient's backup point of contact, sent to the recipient node (backup-poc);
 *   3. the message re-sent to that recipient one channel up the ladder (technical, formal-inquiry,
 *      crisis; channels the agreement does not enable are skipped), in the same thread.
 * A missed response deadline alerts the duty officer only. Pings are not escalated: a ping past its
 * deadline fails and is reported to the party that nominated the POC (pings.ts).
 */
import { ParleyError } from '../core/index.js';
import type { AgreementDocument, Channel } from '../pact/index.js';
import { type HotlineContext, nowIso } from './context.js';
import { agreementInForce, compose, writeOutgoing } from './outgoing.js';
import { failOverduePings } from './pings.js';
import { backupPoc, nextChannel, statesBefore } from './policy.js';
import { getMessage, insertAlert, newAlertId } from './records.js';
import type { HotlineMessage } from './types.js';
import { type AlertPayload, HOTLINE_ALERT_ENVELOPE } from './wire.js';

export interface Escalation {
  message: string;
  thread: string;
  recipient: string;
  dutyAlert: string;
  backupAlert: string;
  backupPoc: string | null;
  from: Channel;
  to: Channel | null;
  /** The message re-sent on the channel above, or null at the top. */
  resent: string | null;
}

export interface DeadlineReport {
  escalations: Escalation[];
  /** Missed response deadlines (duty-officer alert only). */
  responses: { message: string; recipient: string; alert: string }[];
  /** Pings that failed in this check. */
  pingsFailed: string[];
}

export async function checkDeadlines(c: HotlineContext): Promise<DeadlineReport> {
  const now = c.clock.now();
  const db = c.database.db;
  const report: DeadlineReport = { escalations: [], responses: [], pingsFailed: [] };
  const open = db.selectFrom('hotline_threads').select('id').where('closed_at', 'is', null);
  const late = await db
    .selectFrom('hotline_recipients as r')
    .innerJoin('hotline_messages as m', 'm.id', 'r.message_id')
    .select(['r.message_id', 'r.recipient', 'r.ack_due'])
    .where('m.direction', '=', 'out')
    .where('m.kind', '!=', 'ping')
    .where('m.thread', 'in', open)
    .where('r.escalated_ack', '=', 0)
    .where('r.ack_due', '<=', now)
    .where('r.state', 'in', statesBefore('acknowledged'))
    .orderBy('r.ack_due')
    .execute();
  for (const r of late) {
    const e = await escalate(c, r.message_id, r.recipient);
    if (e) report.escalations.push(e);
  }
  const slow = await db
    .selectFrom('hotline_recipients as r')
    .innerJoin('hotline_messages as m', 'm.id', 'r.message_id')
    .select(['r.message_id', 'r.recipient', 'r.respond_due', 'm.thread', 'm.exercise', 'm.sender_node'])
    .where('m.direction', '=', 'out')
    .where('m.thread', 'in', open)
    .where('r.escalated_respond', '=', 0)
    .where('r.respond_due', '<=', now)
    .where('r.state', 'in', statesBefore('responded'))
    .orderBy('r.respond_due')
    .execute();
  for (const r of slow) {
    const id = newAlertId();
    const at = nowIso(c);
    const fired = await c.database.transaction(async (tx) => {
      const u = await tx
        .updateTable('hotline_recipients')
        .set({ escalated_respond: 1, updated_at: at })
        .where('message_id', '=', r.message_id)
        .where('recipient', '=', r.recipient)
        .where('escalated_respond', '=', 0)
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) return false;
      const due = new Date(Number(r.respond_due)).toISOString();
      await insertAlert(tx, {
        id,
        kind: 'duty-officer',
        direction: 'local',
        node: r.recipient,
        poc: null,
        reason: 'respond-overdue',
        message: r.message_id,
        thread: r.thread,
        text: `${r.recipient} has not responded to ${r.message_id}, due ${due}`,
        exercise: r.exercise === 1,
        at,
      });
      return true;
    });
    if (!fired) continue;
    report.responses.push({ message: r.message_id, recipient: r.recipient, alert: id });
    c.events.emit('deadline', {
      message: r.message_id,
      thread: r.thread,
      recipient: r.recipient,
      which: 'respond',
      due: new Date(Number(r.respond_due)).toISOString(),
    });
  }
  report.pingsFailed = await failOverduePings(c);
  return report;
}

/** Escalates one recipient's missed acknowledgement; undefined if someone else already did. */
async function escalate(
  c: HotlineContext,
  messageId: string,
  recipient: string,
): Promise<Escalation | undefined> {
  const row = await getMessage(c.database.db, messageId);
  if (!row) return undefined;
  const orig = JSON.parse(row.body) as HotlineMessage;
  // Read outside the transaction: the directory and agreement views use their own handles.
  let doc: AgreementDocument | undefined;
  try {
    doc = await agreementInForce(c, orig.agreement);
  } catch (e) {
    if (!(e instanceof ParleyError)) throw e;
  }
  const pocs = await c.directory.list({ owner: recipient });
  const backup = backupPoc(pocs, orig.channel);
  const to = doc ? nextChannel(doc, orig.channel) : null;
  const at = nowIso(c);
  // The re-sent message: the same content, a new id, the channel above, to the late recipient only.
  const resent =
    to && doc
      ? compose(
          c,
          doc,
          orig.agreement,
          (({ id: _i, created: _c, schema: _s, sender: _se, ...rest }) => ({
            ...rest,
            channel: to,
            recipients: [recipient],
          }))(orig),
          orig.sender.poc,
        )
      : null;
  const dutyAlert = newAlertId();
  const backupAlert = newAlertId();
  const due = await c.database.db
    .selectFrom('hotline_recipients')
    .select('ack_due')
    .where('message_id', '=', messageId)
    .where('recipient', '=', recipient)
    .executeTakeFirst();
  const dueIso = new Date(Number(due?.ack_due)).toISOString();
  const fired = await c.database.transaction(async (tx) => {
    const u = await tx
      .updateTable('hotline_recipients')
      .set({ escalated_ack: 1, updated_at: at })
      .where('message_id', '=', messageId)
      .where('recipient', '=', recipient)
      .where('escalated_ack', '=', 0)
      .where('state', 'in', statesBefore('acknowledged'))
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) !== 1) return false;
    const base = { message: messageId, thread: orig.thread, exercise: orig.exercise, at };
    // (1) The sender's duty officer.
    await insertAlert(tx, {
      ...base,
      id: dutyAlert,
      kind: 'duty-officer',
      direction: 'local',
      node: recipient,
      poc: orig.sender.poc,
      reason: 'acknowledge-overdue',
      text: `${recipient} has not acknowledged ${orig.kind} "${orig.subject}" (${orig.channel}, ${orig.urgency}), due ${dueIso}`,
    });
    // (2) The recipient's backup point of contact, at the recipient node.
    const text = `Not acknowledged by ${dueIso}: ${orig.kind} "${orig.subject}" from ${orig.sender.party} on the ${orig.channel} channel (message ${messageId}); ${backup ? `backup contact ${backup.id}` : 'no backup contact published'}, please act`;
    await insertAlert(tx, {
      ...base,
      id: backupAlert,
      kind: 'backup-poc',
      direction: 'out',
      node: recipient,
      poc: backup?.id ?? null,
      reason: 'acknowledge-overdue',
      text,
    });
    const payload: AlertPayload = {
      id: backupAlert,
      kind: 'backup-poc',
      reason: 'acknowledge-overdue',
      poc: backup?.id ?? null,
      message: messageId,
      thread: orig.thread,
      text,
      exercise: orig.exercise,
      created: at,
    };
    await c.outbox.enqueue(tx, [
      {
        peer: recipient,
        type: HOTLINE_ALERT_ENVELOPE,
        agreement: orig.agreement,
        payload,
        lane: orig.thread,
        ref: backupAlert,
      },
    ]);
    // (3) One channel up, same thread.
    if (resent && doc) await writeOutgoing(c, tx, resent, doc, { escalates: messageId });
    return true;
  });
  if (!fired) return undefined;
  c.outbox.kick();
  const e: Escalation = {
    message: messageId,
    thread: orig.thread,
    recipient,
    dutyAlert,
    backupAlert,
    backupPoc: backup?.id ?? null,
    from: orig.channel,
    to: resent ? to : null,
    resent: resent?.id ?? null,
  };
  c.events.emit('deadline', {
    message: messageId,
    thread: orig.thread,
    recipient,
    which: 'acknowledge',
    due: dueIso,
  });
  c.events.emit('alert', {
    id: dutyAlert,
    kind: 'duty-officer',
    direction: 'local',
    node: recipient,
    poc: orig.sender.poc,
    reason: 'acknowledge-overdue',
  });
  c.events.emit('alert', {
    id: backupAlert,
    kind: 'backup-poc',
    direction: 'out',
    node: recipient,
    poc: backup?.id ?? null,
    reason: 'acknowledge-overdue',
  });
  c.events.emit('escalation', e);
  return e;
}
