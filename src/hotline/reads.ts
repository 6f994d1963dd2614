/** The hotline's reads: messages with their recipients' states, threads, alerts. */
import { notFound } from '../core/index.js';
import type { HotlineContext } from './context.js';
import { type AlertView, alertView, getMessage, type MessageView, messageViews } from './records.js';

export interface ListOptions {
  /** Only messages whose recipient state (this node's, for inbound) is this one. */
  state?: string;
  /** Include exercise traffic (default true: it is marked, not hidden). */
  exercise?: boolean;
  limit?: number;
}

export interface ThreadView {
  id: string;
  agreement: string;
  /** The current channel; `channels` is every channel the thread has used, in order. */
  channel: string;
  channels: string[];
  subject: string;
  exercise: boolean;
  openedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  messages: MessageView[];
  alerts: AlertView[];
}

/** One message with its recipients' states, deadlines, receipts and overdue flags. */
export async function readMessage(c: HotlineContext, id: string): Promise<MessageView> {
  const row = await getMessage(c.database.db, id);
  if (!row) throw notFound('hotline.unknown_message', `no message ${id} on this node`);
  return (await messageViews(c.database.db, [row], c.clock.now()))[0]!;
}

/** A thread: every message both ways, in order, across every channel it used, and its alerts. */
export async function readThread(c: HotlineContext, id: string): Promise<ThreadView> {
  const t = await threadRow(c, id);
  const db = c.database.db;
  const rows = await db
    .selectFrom('hotline_messages')
    .selectAll()
    .where('thread', '=', id)
    .orderBy('seq')
    .execute();
  const messages = await messageViews(db, rows, c.clock.now());
  const channels: string[] = [];
  for (const m of messages) if (channels.at(-1) !== m.channel) channels.push(m.channel);
  const alerts = await db
    .selectFrom('hotline_alerts')
    .selectAll()
    .where('thread', '=', id)
    .orderBy('seq')
    .execute();
  return {
    id,
    agreement: t.agreement,
    channel: t.channel,
    channels,
    subject: t.subject,
    exercise: t.exercise === 1,
    openedAt: t.opened_at,
    closedAt: t.closed_at,
    closedBy: t.closed_by,
    messages,
    alerts: alerts.map(alertView),
  };
}

/** Alerts, oldest first: raised here, sent to peers, received from them. */
export async function listAlerts(
  c: HotlineContext,
  opts: { direction?: 'local' | 'out' | 'in'; kind?: string; thread?: string } = {},
): Promise<AlertView[]> {
  let q = c.database.db.selectFrom('hotline_alerts').selectAll();
  if (opts.direction) q = q.where('direction', '=', opts.direction);
  if (opts.kind) q = q.where('kind', '=', opts.kind);
  if (opts.thread) q = q.where('thread', '=', opts.thread);
  return (await q.orderBy('seq').execute()).map(alertView);
}

/** Messages of one direction, newest first. */
export async function listMessages(
  c: HotlineContext,
  direction: 'in' | 'out',
  opts: ListOptions,
): Promise<MessageView[]> {
  const db = c.database.db;
  let q = db.selectFrom('hotline_messages').selectAll().where('direction', '=', direction);
  if (opts.exercise === false) q = q.where('exercise', '=', 0);
  if (opts.state && direction === 'in')
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('hotline_recipients')
        .select('message_id')
        .where('recipient', '=', c.self)
        .where('state', '=', opts.state),
    );
  if (opts.state && direction === 'out')
    q = q.where(
      'id',
      'in',
      db.selectFrom('hotline_recipients').select('message_id').where('state', '=', opts.state),
    );
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(opts.limit ?? 100)
    .execute();
  return messageViews(db, rows, c.clock.now());
}

export async function threadRow(c: HotlineContext, id: string) {
  const t = await c.database.db
    .selectFrom('hotline_threads')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!t) throw notFound('hotline.unknown_thread', `no thread ${id} on this node`);
  return t;
}
