/** Reads and writes of the hotline tables; every writer takes the caller's transaction. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { isoMillis } from '../core/index.js';
import type { Schema } from '../store/index.js';
import type {
  HotlineAlertsTable,
  HotlineMessagesTable,
  HotlineRecipientsTable,
} from '../store/tables/hotline.js';
import { isAfter } from './policy.js';
import type { HotlineMessage, RecipientState } from './types.js';

type Db = Kysely<Schema>;
type RecipientRow = Selectable<HotlineRecipientsTable>;
type MessageRow = Selectable<HotlineMessagesTable>;
type AlertRow = Selectable<HotlineAlertsTable>;

/** How an acknowledgement stands against its deadline. */
export type AckStatus = 'within deadline' | 'over deadline' | 'overdue' | 'pending' | 'no deadline';

export interface RecipientView {
  node: string;
  state: RecipientState;
  /** A deadline passed with the acknowledgement or response still missing (thread open). */
  overdue: boolean;
  acknowledgement: AckStatus;
  ackDue: string | null;
  respondDue: string | null;
  deliveredAt: string | null;
  envelopeId: string | null;
  envelopeHash: string | null;
  /** The recipient node's signed receipt (sender side), as it came back. */
  receipt: unknown;
  error: string | null;
  acknowledgedAt: string | null;
  ackPoc: string | null;
  respondedAt: string | null;
  responseId: string | null;
  closedAt: string | null;
  escalated: boolean;
}

export interface MessageView {
  id: string;
  thread: string;
  direction: 'in' | 'out';
  kind: string;
  from: string;
  channel: string;
  urgency: string;
  subject: string;
  exercise: boolean;
  created: string;
  receivedAt: string | null;
  /** The message this one re-sent one channel up, if it is an escalation. */
  escalates: string | null;
  /** The point of contact the message names (pings). */
  toPoc: string | null;
  message: HotlineMessage;
  recipients: RecipientView[];
}

export interface AlertView {
  id: string;
  kind: string;
  direction: 'local' | 'out' | 'in';
  node: string;
  poc: string | null;
  reason: string;
  message: string | null;
  thread: string | null;
  text: string;
  exercise: boolean;
  createdAt: string;
  deliveredAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : isoMillis(Number(ms)));

export function recipientView(r: RecipientRow, now: number, threadOpen: boolean): RecipientView {
  const ackDue = r.ack_due === null ? null : Number(r.ack_due);
  const respondDue = r.respond_due === null ? null : Number(r.respond_due);
  const ackAt = r.acknowledged_at ? Date.parse(r.acknowledged_at) : null;
  const acked = ackAt !== null || ['responded', 'closed'].includes(r.state);
  let acknowledgement: AckStatus;
  if (ackDue === null) acknowledgement = 'no deadline';
  else if (ackAt !== null) acknowledgement = ackAt <= ackDue ? 'within deadline' : 'over deadline';
  else acknowledgement = now > ackDue ? 'overdue' : 'pending';
  const overdue =
    threadOpen &&
    ((ackDue !== null && !acked && now > ackDue) ||
      (respondDue !== null && r.responded_at === null && now > respondDue));
  return {
    node: r.recipient,
    state: r.state as RecipientState,
    overdue,
    acknowledgement,
    ackDue: iso(ackDue),
    respondDue: iso(respondDue),
    deliveredAt: r.delivered_at,
    envelopeId: r.envelope_id,
    envelopeHash: r.envelope_hash,
    receipt: r.receipt === null ? null : JSON.parse(r.receipt),
    error: r.error,
    acknowledgedAt: r.acknowledged_at,
    ackPoc: r.ack_poc,
    respondedAt: r.responded_at,
    responseId: r.response_id,
    closedAt: r.closed_at,
    escalated: r.escalated_ack === 1,
  };
}

export const alertView = (r: AlertRow): AlertView => ({
  id: r.id,
  kind: r.kind,
  direction: r.direction as AlertView['direction'],
  node: r.node,
  poc: r.poc,
  reason: r.reason,
  message: r.message_id,
  thread: r.thread,
  text: r.text,
  exercise: r.exercise === 1,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

/** Message views with their recipients, in one query each. */
export async function messageViews(db: Db, rows: MessageRow[], now: number): Promise<MessageView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const recips = await db
    .selectFrom('hotline_recipients')
    .selectAll()
    .where('message_id', 'in', ids)
    .orderBy('recipient')
    .execute();
  const threads = await db
    .selectFrom('hotline_threads')
    .select(['id', 'closed_at'])
    .where('id', 'in', [...new Set(rows.map((r) => r.thread))])
    .execute();
  const open = new Map(threads.map((t) => [t.id, t.closed_at === null]));
  return rows.map((r) => {
    const body = JSON.parse(r.body) as HotlineMessage;
    return {
      id: r.id,
      thread: r.thread,
      direction: r.direction as 'in' | 'out',
      kind: r.kind,
      from: r.sender_node,
      channel: r.channel,
      urgency: r.urgency,
      subject: body.subject,
      exercise: r.exercise === 1,
      created: r.created,
      receivedAt: r.received_at,
      escalates: r.escalates,
      toPoc: r.to_poc,
      message: body,
      recipients: recips
        .filter((x) => x.message_id === r.id)
        .map((x) => recipientView(x, now, open.get(r.thread) ?? true)),
    };
  });
}

/** Stores a message (and its thread, the first time); the caller adds the recipient rows. */
export async function insertMessage(
  tx: Db,
  m: HotlineMessage,
  o: { direction: 'in' | 'out'; escalates: string | null; toPoc: string | null; receivedAt: string | null },
): Promise<void> {
  const thread = await tx
    .selectFrom('hotline_threads')
    .select('id')
    .where('id', '=', m.thread)
    .executeTakeFirst();
  if (!thread)
    await tx
      .insertInto('hotline_threads')
      .values({
        id: m.thread,
        agreement: m.agreement,
        channel: m.channel,
        subject: m.subject,
        exercise: m.exercise ? 1 : 0,
        opened_at: m.created,
        closed_at: null,
        closed_by: null,
        updated_at: m.created,
      })
      .execute();
  else
    await tx
      .updateTable('hotline_threads')
      .set({ channel: m.channel, updated_at: o.receivedAt ?? m.created })
      .where('id', '=', m.thread)
      .execute();
  await tx
    .insertInto('hotline_messages')
    .values({
      id: m.id,
      thread: m.thread,
      direction: o.direction,
      kind: m.kind,
      agreement: m.agreement,
      channel: m.channel,
      sender_node: m.sender.node,
      urgency: m.urgency,
      in_reply_to: m.in_reply_to,
      escalates: o.escalates,
      to_poc: o.toPoc,
      exercise: m.exercise ? 1 : 0,
      created: m.created,
      received_at: o.receivedAt,
      body: JSON.stringify(m),
    })
    .execute();
}

export async function insertRecipient(
  tx: Db,
  r: {
    message: string;
    recipient: string;
    state: RecipientState;
    ackDue: number | null;
    respondDue: number | null;
    at: string;
    deliveredAt?: string | null;
  },
): Promise<void> {
  await tx
    .insertInto('hotline_recipients')
    .values({
      message_id: r.message,
      recipient: r.recipient,
      state: r.state,
      ack_due: r.ackDue,
      respond_due: r.respondDue,
      delivered_at: r.deliveredAt ?? null,
      envelope_id: null,
      envelope_hash: null,
      receipt: null,
      error: null,
      acknowledged_at: null,
      ack_poc: null,
      ack_received_at: null,
      responded_at: null,
      response_id: null,
      closed_at: null,
      escalated_ack: 0,
      escalated_respond: 0,
      updated_at: r.at,
    })
    .execute();
}

export const getRecipient = (db: Db, message: string, recipient: string) =>
  db
    .selectFrom('hotline_recipients')
    .selectAll()
    .where('message_id', '=', message)
    .where('recipient', '=', recipient)
    .executeTakeFirst();

export const getMessage = (db: Db, id: string) =>
  db.selectFrom('hotline_messages').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * Records what happened to one recipient: the fields always, the state only if it moves forward.
 * Returns the state now held, or undefined if there is no such row.
 */
export async function recordRecipient(
  tx: Db,
  message: string,
  recipient: string,
  state: RecipientState | null,
  fields: Partial<Omit<RecipientRow, 'message_id' | 'recipient' | 'state'>>,
  at: string,
): Promise<RecipientState | undefined> {
  const row = await getRecipient(tx, message, recipient);
  if (!row) return undefined;
  const next = state && isAfter(state, row.state) ? state : (row.state as RecipientState);
  await tx
    .updateTable('hotline_recipients')
    .set({ ...fields, state: next, updated_at: at })
    .where('message_id', '=', message)
    .where('recipient', '=', recipient)
    .execute();
  return next;
}

/** Closes a thread and every recipient row of its messages. */
export async function closeThread(tx: Db, thread: string, by: string, at: string): Promise<void> {
  await tx
    .updateTable('hotline_threads')
    .set({ closed_at: at, closed_by: by, updated_at: at })
    .where('id', '=', thread)
    .where('closed_at', 'is', null)
    .execute();
  const ids = tx.selectFrom('hotline_messages').select('id').where('thread', '=', thread);
  await tx
    .updateTable('hotline_recipients')
    .set({ state: 'closed', closed_at: at, updated_at: at })
    .where('message_id', 'in', ids)
    .where('state', '!=', 'closed')
    .execute();
}

export async function insertAlert(
  tx: Db,
  a: {
    id: string;
    kind: string;
    direction: 'local' | 'out' | 'in';
    node: string;
    poc: string | null;
    reason: string;
    message: string | null;
    thread: string | null;
    text: string;
    exercise: boolean;
    at: string;
  },
): Promise<void> {
  await tx
    .insertInto('hotline_alerts')
    .values({
      id: a.id,
      kind: a.kind,
      direction: a.direction,
      node: a.node,
      poc: a.poc,
      reason: a.reason,
      message_id: a.message,
      thread: a.thread,
      text: a.text,
      exercise: a.exercise ? 1 : 0,
      created_at: a.at,
      delivered_at: null,
    })
    .execute();
}

export const newAlertId = (): string => `alert--${randomUUID()}`;
