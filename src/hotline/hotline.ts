/**
 * The hotline service: messages between the parties of an agreement, with per-recipient states,
 * deadlines from the agreement's table, escalation when an acknowledgement is late, and ping tests
 * of points of contact. See docs/HOTLINE.md. The service checks no permissions: the HTTP and CLI
 * edges do (the ping API is for the role "directory-manager").
 *
 *   const h = new Hotline({ database, identity, clock, outbox, pacts, directory });
 *   h.attach(peerInbox);
 *   const m = await h.send({ agreement, kind: 'notification', urgency: 'high', subject, description, ... });
 *   // at the recipient:  await h.ack(m.id, { poc: 'duty-desk' });  await h.respond(m.id, { ... });
 *   await h.checkDeadlines();   // also run by start()'s timer while the server runs
 */
import { conflict, invalid, notFound } from '../core/index.js';
import type { HotlineContext } from './context.js';
import { nowIso } from './context.js';
import type { HotlineDeps, HotlineInbox } from './deps.js';
import { checkDeadlines, type DeadlineReport } from './escalation.js';
import { HotlineEmitter } from './events.js';
import { registerInbound } from './inbound.js';
import { agreementInForce, compose, type MessageInput, senderPoc, writeOutgoing } from './outgoing.js';
import {
  type PingResults,
  type PingRun,
  type PingSchedule,
  pingResults,
  pingSchedule,
  runDuePings,
  runPings,
  schedulePings,
} from './pings.js';
import {
  type ListOptions,
  listAlerts,
  listMessages,
  readMessage,
  readThread,
  type ThreadView,
  threadRow,
} from './reads.js';
import {
  type AlertView,
  closeThread,
  getMessage,
  getRecipient,
  type MessageView,
  recordRecipient,
} from './records.js';
import { registerSettled } from './settled.js';

export type { ListOptions, ThreadView } from './reads.js';

import { type HotlineStats, stats } from './stats.js';
import { HOTLINE_ACK_ENVELOPE, type HotlineMessage } from './types.js';
import type { AckPayload } from './wire.js';

export class Hotline {
  /** 'message', 'state', 'deadline', 'escalation', 'alert', 'ping': for a live view. */
  readonly events = new HotlineEmitter();
  private readonly c: HotlineContext;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(deps: HotlineDeps) {
    this.c = { ...deps, events: this.events, self: deps.identity.nodeId };
    registerSettled(this.c);
  }

  /** Registers the inbound handlers (hotline.message, hotline.ack, hotline.alert) on the peer inbox. */
  attach(inbox: HotlineInbox): this {
    registerInbound(this.c, inbox);
    return this;
  }

  /**
   * Sends a message: composed and checked first (an invalid message throws hotline.* and nothing is
   * written), then stored with one row and one outbox item per recipient in ONE transaction, then
   * delivered after commit.
   */
  async send(input: MessageInput): Promise<MessageView> {
    const doc = await agreementInForce(this.c, input.agreement);
    const { from, ...rest } = input;
    const poc = await senderPoc(this.c, rest.channel, from);
    const m = compose(this.c, doc, input.agreement, rest, poc);
    if (m.thread !== m.id) {
      const t = await threadRow(this.c, m.thread);
      if (t.closed_at) throw conflict('hotline.thread_closed', `thread ${m.thread} is closed`);
    }
    await this.c.database.transaction((tx) => writeOutgoing(this.c, tx, m, doc));
    this.c.outbox.kick();
    return this.message(m.id);
  }

  /**
   * At a recipient: a point of contact of this node has the message in hand. Records it and sends
   * a signed `hotline.ack` to the sender (through the outbox, in the thread's lane).
   */
  async ack(messageId: string, by: { poc: string }): Promise<MessageView> {
    const mine = await this.c.directory.list({ owner: this.c.self });
    if (!mine.some((p) => p.id === by?.poc))
      throw invalid('hotline.unknown_poc', `this node has no point of contact "${by?.poc}"`, {
        field: 'poc',
      });
    const at = nowIso(this.c);
    const m = await this.c.database.transaction(async (tx) => {
      const m = await getMessage(tx, messageId);
      if (!m) throw notFound('hotline.unknown_message', `no message ${messageId} on this node`);
      if (m.direction !== 'in')
        throw invalid(
          'hotline.not_received',
          `message ${messageId} was sent from this node; only a recipient acknowledges`,
        );
      const row = await getRecipient(tx, messageId, this.c.self);
      if (row?.acknowledged_at)
        throw conflict(
          'hotline.already_acknowledged',
          `message ${messageId} was acknowledged by ${row.ack_poc} at ${row.acknowledged_at}`,
        );
      await recordRecipient(
        tx,
        messageId,
        this.c.self,
        'acknowledged',
        { acknowledged_at: at, ack_poc: by.poc },
        at,
      );
      const payload: AckPayload = { message: m.id, thread: m.thread, poc: by.poc, acknowledged: at };
      await this.c.outbox.enqueue(tx, [
        {
          peer: m.sender_node,
          type: HOTLINE_ACK_ENVELOPE,
          agreement: m.agreement,
          payload,
          lane: m.thread,
          ref: `ack:${m.id}`,
        },
      ]);
      return m;
    });
    this.c.outbox.kick();
    this.events.emit('state', {
      message: m.id,
      thread: m.thread,
      recipient: this.c.self,
      state: 'acknowledged',
      at,
    });
    return this.message(messageId);
  }

  /** At a recipient: answers a message with a 'response' in its thread, to its sender. */
  async respond(messageId: string, input: Omit<MessageInput, 'agreement' | 'kind'>): Promise<MessageView> {
    const asked = await getMessage(this.c.database.db, messageId);
    if (!asked) throw notFound('hotline.unknown_message', `no message ${messageId} on this node`);
    if (asked.direction !== 'in')
      throw invalid(
        'hotline.not_received',
        `message ${messageId} was sent from this node; respond to messages received`,
      );
    const t = await threadRow(this.c, asked.thread);
    if (t.closed_at) throw conflict('hotline.thread_closed', `thread ${asked.thread} is closed`);
    const doc = await agreementInForce(this.c, asked.agreement);
    const { from, ...rest } = input;
    const orig = JSON.parse(asked.body) as HotlineMessage;
    const channel = rest.channel ?? (t.channel as HotlineMessage['channel']);
    const poc = await senderPoc(this.c, channel, from);
    const m = compose(
      this.c,
      doc,
      asked.agreement,
      {
        urgency: orig.urgency,
        tlp: orig.tlp,
        pap: orig.pap,
        language: orig.language,
        exercise: orig.exercise,
        subject: `Re: ${orig.subject}`,
        ...rest,
        kind: 'response',
        channel,
        thread: asked.thread,
        in_reply_to: asked.id,
        recipients: [asked.sender_node],
      },
      poc,
    );
    await this.c.database.transaction(async (tx) => {
      await writeOutgoing(this.c, tx, m, doc);
      await recordRecipient(
        tx,
        asked.id,
        this.c.self,
        'responded',
        { responded_at: m.created, response_id: m.id },
        m.created,
      );
    });
    this.c.outbox.kick();
    this.events.emit('state', {
      message: asked.id,
      thread: asked.thread,
      recipient: this.c.self,
      state: 'responded',
      at: m.created,
    });
    return this.message(m.id);
  }

  /** Closes a thread: sends a 'closure' to every other node in it; every state in it becomes closed. */
  async close(threadId: string, input: Omit<MessageInput, 'agreement' | 'kind'> = {}): Promise<MessageView> {
    const t = await threadRow(this.c, threadId);
    if (t.closed_at) throw conflict('hotline.thread_closed', `thread ${threadId} is already closed`);
    const doc = await agreementInForce(this.c, t.agreement);
    const msgs = await this.c.database.db
      .selectFrom('hotline_messages')
      .select(['id', 'sender_node', 'body', 'exercise'])
      .where('thread', '=', threadId)
      .orderBy('seq')
      .execute();
    const nodes = new Set<string>();
    for (const x of msgs) {
      nodes.add(x.sender_node);
      for (const r of (JSON.parse(x.body) as HotlineMessage).recipients) nodes.add(r);
    }
    nodes.delete(this.c.self);
    const { from, ...rest } = input;
    const channel = rest.channel ?? (t.channel as HotlineMessage['channel']);
    const poc = await senderPoc(this.c, channel, from);
    const first = JSON.parse(msgs[0]!.body) as HotlineMessage;
    const m = compose(
      this.c,
      doc,
      t.agreement,
      {
        urgency: first.urgency,
        language: first.language,
        exercise: first.exercise,
        subject: `Closed: ${t.subject}`,
        ...rest,
        kind: 'closure',
        channel,
        thread: threadId,
        in_reply_to: threadId,
        recipients: [...nodes].sort(),
      },
      poc,
    );
    await this.c.database.transaction(async (tx) => {
      await closeThread(tx, threadId, this.c.self, m.created);
      await writeOutgoing(this.c, tx, m, doc);
    });
    this.c.outbox.kick();
    return this.message(m.id);
  }

  // ---- reads ----

  /** One message with its recipients' states, deadlines, receipts and overdue flags. */
  message(id: string): Promise<MessageView> {
    return readMessage(this.c, id);
  }

  /** Messages received here, newest first: what this node's people see. */
  inbox(opts: ListOptions = {}): Promise<MessageView[]> {
    return listMessages(this.c, 'in', opts);
  }

  /** Messages sent from here, newest first. */
  sent(opts: ListOptions = {}): Promise<MessageView[]> {
    return listMessages(this.c, 'out', opts);
  }

  /** A thread: every message both ways, in order, across every channel it used, and its alerts. */
  thread(id: string): Promise<ThreadView> {
    return readThread(this.c, id);
  }

  /** Alerts, oldest first: raised here, sent to peers, received from them. */
  alerts(
    opts: { direction?: 'local' | 'out' | 'in'; kind?: string; thread?: string } = {},
  ): Promise<AlertView[]> {
    return listAlerts(this.c, opts);
  }

  /** Responsiveness figures of messages sent from here; exercise traffic never counts. */
  stats(): Promise<HotlineStats> {
    return stats(this.c);
  }

  // ---- deadlines and pings ----

  /** Fires every missed deadline once, in the documented order (docs/HOTLINE.md "Escalation"). */
  checkDeadlines(): Promise<DeadlineReport> {
    return checkDeadlines(this.c);
  }

  /** Sets the ping-test schedule (directory manager): every `every` days (default 182), all POCs or those named. */
  schedulePings(opts: { every?: number; pocs?: string[]; next?: string } = {}): Promise<PingSchedule> {
    return schedulePings(this.c, opts);
  }

  pingSchedule(): Promise<PingSchedule | null> {
    return pingSchedule(this.c);
  }

  /** Runs a ping test now, of every partner POC or those named ("owner/id" or "id"). */
  async runPings(
    opts: { pocs?: string[]; urgency?: HotlineMessage['urgency']; exercise?: boolean } = {},
  ): Promise<PingRun> {
    const r = await runPings(this.c, opts);
    this.c.outbox.kick();
    return r;
  }

  /** Ping results, newest run first, or of one run, with passed/failed/pending counts and times. */
  pingResults(opts: { run?: string } = {}): Promise<PingResults> {
    return pingResults(this.c, opts);
  }

  /** One tick of the worker: deadlines, then a scheduled ping test if one is due. */
  async tick(): Promise<void> {
    if (this.running) return void (await this.running);
    this.running = (async () => {
      await this.checkDeadlines();
      if (await runDuePings(this.c)) this.c.outbox.kick();
    })().finally(() => {
      this.running = undefined;
    });
    await this.running;
  }

  /** Starts the deadline worker (every `intervalMs`, default 30 s). */
  start(opts: { intervalMs?: number } = {}): void {
    if (this.timer) return;
    const every = opts.intervalMs ?? 30_000;
    const loop = () => {
      this.tick()
        .catch(() => {})
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, every).unref();
        });
    };
    this.timer = setTimeout(loop, every).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
  }
}
