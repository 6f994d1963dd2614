/**
 * Ping tests (the UN POC directory's communication checks): the directory manager schedules checks
 * of every partner point of contact, or of those chosen, every 182 days by default, or runs one on
 * demand. Each check is a 'ping' message to the POC's node naming the POC; it passes when that node
 * acknowledges within the agreement's deadline for pings, and fails when it is not acknowledged in
 * time or cannot be delivered. A failure is recorded here and reported to the nominating party (an
 * alert sent to the POC's owner node).
 */
import { randomUUID } from 'node:crypto';
import { invalid, isoMillis } from '../core/index.js';
import type { AgreementDocument, Urgency } from '../pact/index.js';
import { type HotlineContext, nowIso } from './context.js';
import type { HotlinePoc } from './deps.js';
import { compose, writeOutgoing } from './outgoing.js';
import { channelForRole, deadlinesOf } from './policy.js';
import { insertAlert, newAlertId } from './records.js';
import { type AlertPayload, HOTLINE_ALERT_ENVELOPE } from './wire.js';

const DAY = 86_400_000;
export const DEFAULT_PING_EVERY_DAYS = 182;

export interface PingSchedule {
  everyDays: number;
  /** POC selectors ("owner/id" or "id"), or null for every partner POC. */
  pocs: string[] | null;
  nextAt: string;
  lastRun: string | null;
}

export interface PingView {
  id: string;
  run: string;
  message: string | null;
  owner: string;
  poc: string;
  agreement: string | null;
  sentAt: string;
  due: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  /** Time to acknowledge, ms from sending. */
  ackMs: number | null;
  ackPoc: string | null;
  outcome: 'pending' | 'passed' | 'failed';
  reason: string | null;
}

export interface PingRun {
  run: string;
  pings: PingView[];
}

export interface PingResults {
  run: string | null;
  passed: number;
  failed: number;
  pending: number;
  pings: PingView[];
}

export async function schedulePings(
  c: HotlineContext,
  o: { every?: number; pocs?: string[]; next?: string },
): Promise<PingSchedule> {
  const every = o.every ?? DEFAULT_PING_EVERY_DAYS;
  if (!Number.isInteger(every) || every < 1 || every > 3660)
    throw invalid(
      'hotline.bad_schedule',
      'ping schedule: every must be a whole number of days from 1 to 3660',
      {
        field: 'every',
      },
    );
  if (o.pocs) await choose(c, o.pocs);
  const next = o.next === undefined ? c.clock.now() + every * DAY : Date.parse(o.next);
  if (Number.isNaN(next))
    throw invalid('hotline.bad_schedule', 'ping schedule: next must be an RFC 3339 time', { field: 'next' });
  const at = nowIso(c);
  const row = {
    every_days: every,
    pocs: o.pocs ? JSON.stringify(o.pocs) : null,
    next_at: next,
    updated_at: at,
  };
  await c.database.transaction(async (tx) => {
    const u = await tx
      .updateTable('hotline_ping_schedule')
      .set(row)
      .where('id', '=', 'default')
      .executeTakeFirst();
    if (Number(u.numUpdatedRows) === 0)
      await tx
        .insertInto('hotline_ping_schedule')
        .values({ id: 'default', last_run: null, ...row })
        .execute();
  });
  return (await pingSchedule(c))!;
}

export async function pingSchedule(c: HotlineContext): Promise<PingSchedule | null> {
  const r = await c.database.db
    .selectFrom('hotline_ping_schedule')
    .selectAll()
    .where('id', '=', 'default')
    .executeTakeFirst();
  return r
    ? {
        everyDays: r.every_days,
        pocs: r.pocs === null ? null : (JSON.parse(r.pocs) as string[]),
        nextAt: isoMillis(Number(r.next_at)),
        lastRun: r.last_run,
      }
    : null;
}

/** The scheduled run, if due: runs it and moves the schedule on. True if a run happened. */
export async function runDuePings(c: HotlineContext): Promise<boolean> {
  const s = await c.database.db
    .selectFrom('hotline_ping_schedule')
    .selectAll()
    .where('id', '=', 'default')
    .executeTakeFirst();
  const now = c.clock.now();
  if (!s || Number(s.next_at) > now) return false;
  // Claim the run first, so two workers never both run it.
  const u = await c.database.db
    .updateTable('hotline_ping_schedule')
    .set({
      next_at:
        Number(s.next_at) +
        s.every_days * DAY * Math.max(1, Math.ceil((now - Number(s.next_at) + 1) / (s.every_days * DAY))),
      last_run: nowIso(c),
    })
    .where('id', '=', 'default')
    .where('next_at', '=', s.next_at)
    .executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1) return false;
  await runPings(c, { pocs: s.pocs === null ? undefined : (JSON.parse(s.pocs) as string[]) });
  return true;
}

/** The partner POCs chosen by selectors ("owner/id" or "id"); every partner POC without any. */
async function choose(c: HotlineContext, selectors?: string[]): Promise<HotlinePoc[]> {
  const all = (await c.directory.list()).filter((p) => p.owner !== c.self);
  if (!selectors) return all;
  const out: HotlinePoc[] = [];
  for (const s of selectors) {
    const [owner, id] = s.includes('/') ? s.split('/', 2) : [undefined, s];
    const hit = all.filter((p) => p.id === id && (owner === undefined || p.owner === owner));
    if (hit.length === 0)
      throw invalid('hotline.unknown_poc', `no partner point of contact "${s}" in the directory`, {
        field: 'pocs',
      });
    for (const p of hit) if (!out.includes(p)) out.push(p);
  }
  return out;
}

export async function runPings(
  c: HotlineContext,
  o: { pocs?: string[]; urgency?: Urgency; exercise?: boolean },
): Promise<PingRun> {
  const targets = await choose(c, o.pocs);
  const agreements = await c.pacts.inForceNow();
  const mine = await c.directory.list({ owner: c.self });
  const run = `run--${randomUUID()}`;
  const at = nowIso(c);
  // Compose every ping first: a message the model refuses stops the run before anything is written.
  const plan = targets.map((p) => {
    const a = agreements.find(
      (x) => x.doc.parties.some((q) => q.node === p.owner) && x.doc.parties.some((q) => q.node === c.self),
    );
    if (!a) return { p, a: undefined, m: undefined };
    const channel = channelForRole(a.doc, p.role);
    const from = mine.find((x) => x.role === p.role) ?? mine[0];
    if (!from)
      throw invalid(
        'hotline.no_sender_poc',
        'this node has no point of contact to send pings from; add one first',
      );
    const m = compose(
      c,
      a.doc,
      a.id,
      {
        kind: 'ping',
        channel,
        urgency: o.urgency ?? 'medium',
        recipients: [p.owner],
        subject: `Communication check of ${p.owner}/${p.id}`,
        description: `Ping test: ${p.name} (${p.id}) is asked to acknowledge this message.`,
        exercise: o.exercise ?? false,
      },
      from.id,
    );
    return { p, a, m };
  });
  await c.database.transaction(async (tx) => {
    for (const { p, a, m } of plan) {
      const due = a && m ? deadlinesOf(a.doc as AgreementDocument, m).ackDue : null;
      if (a && m) await writeOutgoing(c, tx, m, a.doc, { poc: p.id });
      await tx
        .insertInto('hotline_pings')
        .values({
          id: `ping--${randomUUID()}`,
          run_id: run,
          message_id: m?.id ?? null,
          owner_node: p.owner,
          poc_id: p.id,
          agreement: a?.id ?? null,
          sent_at: m?.created ?? at,
          ack_due: due,
          delivered_at: null,
          acknowledged_at: null,
          ack_ms: null,
          ack_poc: null,
          outcome: a ? 'pending' : 'failed',
          reason: a ? null : `no agreement in force with ${p.owner}`,
          reported: 0,
          updated_at: at,
        })
        .execute();
    }
  });
  return { run, pings: (await pingResults(c, { run })).pings };
}

/**
 * Pending pings past their deadline fail; failed pings not yet reported are reported: a local
 * alert and one sent to the POC's owner node. Returns the ids of pings reported in this call.
 */
export async function failOverduePings(c: HotlineContext): Promise<string[]> {
  const now = c.clock.now();
  const at = nowIso(c);
  const db = c.database.db;
  const overdue = await db
    .selectFrom('hotline_pings')
    .selectAll()
    .where('outcome', '=', 'pending')
    .where('ack_due', '<=', now)
    .execute();
  for (const p of overdue)
    await db
      .updateTable('hotline_pings')
      .set({
        outcome: 'failed',
        reason: p.delivered_at ? 'not acknowledged within the deadline' : 'not delivered within the deadline',
        updated_at: at,
      })
      .where('id', '=', p.id)
      .where('outcome', '=', 'pending')
      .execute();
  const failed = await db
    .selectFrom('hotline_pings')
    .selectAll()
    .where('outcome', '=', 'failed')
    .where('reported', '=', 0)
    .orderBy('seq')
    .execute();
  const out: string[] = [];
  for (const p of failed) {
    const local = newAlertId();
    const remote = newAlertId();
    const text = `Ping test of ${p.owner_node}/${p.poc_id} sent ${p.sent_at} failed: ${p.reason}`;
    const done = await c.database.transaction(async (tx) => {
      // The claim: only the worker whose update matched reports, so a failure is reported once.
      const u = await tx
        .updateTable('hotline_pings')
        .set({ reported: 1, updated_at: at })
        .where('id', '=', p.id)
        .where('reported', '=', 0)
        .executeTakeFirst();
      if (Number(u.numUpdatedRows) !== 1) return false;
      const base = {
        message: p.message_id,
        thread: p.message_id,
        exercise: false,
        at,
        reason: 'ping-failed',
      };
      await insertAlert(tx, {
        ...base,
        id: local,
        kind: 'ping-failed',
        direction: 'local',
        node: p.owner_node,
        poc: p.poc_id,
        text,
      });
      if (p.agreement) {
        await insertAlert(tx, {
          ...base,
          id: remote,
          kind: 'ping-failed',
          direction: 'out',
          node: p.owner_node,
          poc: p.poc_id,
          text,
        });
        const payload: AlertPayload = {
          id: remote,
          kind: 'ping-failed',
          reason: 'ping-failed',
          poc: p.poc_id,
          message: p.message_id,
          thread: p.message_id,
          text,
          exercise: false,
          created: at,
        };
        await c.outbox.enqueue(tx, [
          {
            peer: p.owner_node,
            type: HOTLINE_ALERT_ENVELOPE,
            agreement: p.agreement,
            payload,
            lane: p.message_id ?? `ping:${p.owner_node}`,
            ref: remote,
          },
        ]);
      }
      return true;
    });
    if (!done) continue;
    out.push(p.id);
    c.events.emit('ping', {
      id: p.id,
      owner: p.owner_node,
      poc: p.poc_id,
      outcome: 'failed',
      ackMs: p.ack_ms === null ? null : Number(p.ack_ms),
    });
    c.events.emit('alert', {
      id: local,
      kind: 'ping-failed',
      direction: 'local',
      node: p.owner_node,
      poc: p.poc_id,
      reason: 'ping-failed',
    });
  }
  if (out.length > 0) c.outbox.kick();
  return out;
}

export async function pingResults(c: HotlineContext, o: { run?: string }): Promise<PingResults> {
  const db = c.database.db;
  const run =
    o.run ??
    (await db.selectFrom('hotline_pings').select('run_id').orderBy('seq', 'desc').limit(1).executeTakeFirst())
      ?.run_id ??
    null;
  const rows = run
    ? await db.selectFrom('hotline_pings').selectAll().where('run_id', '=', run).orderBy('seq').execute()
    : [];
  const pings: PingView[] = rows.map((r) => ({
    id: r.id,
    run: r.run_id,
    message: r.message_id,
    owner: r.owner_node,
    poc: r.poc_id,
    agreement: r.agreement,
    sentAt: r.sent_at,
    due: r.ack_due === null ? null : isoMillis(Number(r.ack_due)),
    deliveredAt: r.delivered_at,
    acknowledgedAt: r.acknowledged_at,
    ackMs: r.ack_ms === null ? null : Number(r.ack_ms),
    ackPoc: r.ack_poc,
    outcome: r.outcome as PingView['outcome'],
    reason: r.reason,
  }));
  const count = (k: PingView['outcome']) => pings.filter((p) => p.outcome === k).length;
  return { run, passed: count('passed'), failed: count('failed'), pending: count('pending'), pings };
}
