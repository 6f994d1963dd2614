/**
 * Responsiveness and communication checks from message observations: per (sender, responder,
 * kind, urgency), per pair and per responding party. Deadlines come from the agreement's table
 * (the hotline's own rule), counted from the message's signed `created`.
 */
import { ACK_KINDS, deadlineRule, RESPOND_KINDS } from '../hotline/index.js';
import type { AgreementDocument, Urgency } from '../pact/index.js';
import type { MessageObs } from './collect.js';
import { type Share, type Summary, share, summarise } from './stats.js';

const HOUR = 3_600_000;

export interface ResponsivenessRow {
  id: string;
  from: string;
  to: string;
  kind: string;
  urgency: string;
  messages: number;
  toReceipt: Summary;
  toAck: Summary;
  toResponse: Summary;
  ackWithinDeadline: Share;
  responseWithinDeadline: Share;
  overdue: number;
  escalations: number;
  evidence: number[];
}

export interface PingRow {
  id: string;
  from: string;
  to: string;
  sent: number;
  delivered: number;
  acknowledged: number;
  ackWithinDeadline: Share;
  toAck: Summary;
  /** Points of contact (`node/poc`) whose check failed: not acknowledged within the deadline. */
  failingPocs: string[];
  evidence: number[];
}

export interface Due {
  ack: number | null;
  respond: number | null;
}

export function dueOf(doc: AgreementDocument | undefined, m: MessageObs): Due {
  const rule = doc && deadlineRule(doc, m.kind, m.urgency as Urgency);
  const k = m.kind as Parameters<typeof ACK_KINDS.has>[0];
  return {
    ack: rule && ACK_KINDS.has(k) ? m.created + rule.acknowledge_hours * HOUR : null,
    respond: rule && RESPOND_KINDS.has(k) ? m.created + rule.respond_hours * HOUR : null,
  };
}

const sortedRefs = (ms: readonly MessageObs[]) =>
  [...new Set(ms.flatMap((m) => m.refs))].sort((a, b) => a - b);
const byId = <T extends { id: string }>(rows: T[]) =>
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

function group<K>(items: readonly MessageObs[], key: (m: MessageObs) => K[]): Map<K, MessageObs[]> {
  const out = new Map<K, MessageObs[]>();
  for (const m of items)
    for (const k of key(m)) {
      const g = out.get(k) ?? [];
      g.push(m);
      out.set(k, g);
    }
  return out;
}

export function responsiveness(
  ms: readonly MessageObs[],
  doc: AgreementDocument | undefined,
  asOf: number,
): ResponsivenessRow[] {
  const rows: ResponsivenessRow[] = [];
  const groups = group(
    ms.filter((m) => m.kind !== 'ping'),
    (m) => [`${m.from}>${m.to}/${m.kind}/${m.urgency}`, `${m.from}>${m.to}/*/*`, `*>${m.to}/*/*`],
  );
  for (const [key, g] of groups) {
    const [pair, kind, urgency] = key.split('/') as [string, string, string];
    const [from, to] = pair.split('>') as [string, string];
    const receipt: number[] = [];
    const ack: number[] = [];
    const resp: number[] = [];
    let ackWithin = 0;
    let ackOf = 0;
    let respWithin = 0;
    let respOf = 0;
    let overdue = 0;
    for (const m of g) {
      const due = dueOf(doc, m);
      if (m.receivedAt !== null) receipt.push(m.receivedAt - m.created);
      if (m.ackAt !== null && ACK_KINDS.has(m.kind as never)) ack.push(m.ackAt - m.created);
      if (m.respondedAt !== null && RESPOND_KINDS.has(m.kind as never)) resp.push(m.respondedAt - m.created);
      if (due.ack !== null && (m.ackAt !== null || due.ack < asOf)) {
        ackOf++;
        if (m.ackAt !== null && m.ackAt <= due.ack) ackWithin++;
      }
      if (due.respond !== null && (m.respondedAt !== null || due.respond < asOf)) {
        respOf++;
        if (m.respondedAt !== null && m.respondedAt <= due.respond) respWithin++;
      }
      if (
        (due.ack !== null && m.ackAt === null && due.ack < asOf) ||
        (due.respond !== null && m.respondedAt === null && due.respond < asOf)
      )
        overdue++;
    }
    rows.push({
      id: `responsiveness/${key}`,
      from,
      to,
      kind,
      urgency,
      messages: g.length,
      toReceipt: summarise(receipt),
      toAck: summarise(ack),
      toResponse: summarise(resp),
      ackWithinDeadline: share(ackWithin, ackOf),
      responseWithinDeadline: share(respWithin, respOf),
      overdue,
      escalations: g.filter((m) => m.escalates).length,
      evidence: sortedRefs(g),
    });
  }
  return byId(rows);
}

export function pings(
  ms: readonly MessageObs[],
  doc: AgreementDocument | undefined,
  asOf: number,
): PingRow[] {
  const rows: PingRow[] = [];
  const groups = group(
    ms.filter((m) => m.kind === 'ping'),
    (m) => [`${m.from}>${m.to}`],
  );
  for (const [pair, g] of groups) {
    const [from, to] = pair.split('>') as [string, string];
    let within = 0;
    let of = 0;
    const failing = new Set<string>();
    for (const m of g) {
      const due = dueOf(doc, m).ack;
      if (due === null) continue;
      if (m.ackAt !== null || due < asOf) of++;
      if (m.ackAt !== null && m.ackAt <= due) within++;
      else if (m.ackAt !== null || due < asOf) failing.add(`${m.to}/${m.poc ?? '-'}`);
    }
    const acked = g.filter((m) => m.ackAt !== null);
    rows.push({
      id: `pings/${pair}`,
      from,
      to,
      sent: g.length,
      delivered: g.filter((m) => m.receivedAt !== null).length,
      acknowledged: acked.length,
      ackWithinDeadline: share(within, of),
      toAck: summarise(acked.map((m) => m.ackAt! - m.created)),
      failingPocs: [...failing].sort(),
      evidence: sortedRefs(g),
    });
  }
  return byId(rows);
}
