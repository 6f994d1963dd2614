/**
 * The hotline's rules, as pure functions: which deadlines apply to a message, which channel is one
 * step up, who is a recipient's backup point of contact, and the order of per-recipient states.
 * docs/HOTLINE.md ("States", "Deadlines", "Escalation") states the same rules for people.
 */
import type { AgreementDocument, Channel, DeadlineRule, Urgency } from '../pact/index.js';
import type { HotlinePoc } from './deps.js';
import type { MessageKind, RecipientState } from './types.js';

const HOUR = 3_600_000;

/** Kinds a person must acknowledge: everything but answers (response, closure, grant). */
export const ACK_KINDS: ReadonlySet<MessageKind> = new Set([
  'notification',
  'rfa',
  'rfi',
  'inquiry',
  'advisory',
  'ping',
  'permission-request',
]);
/** Kinds that ask for an answer, so a response deadline runs too. */
export const RESPOND_KINDS: ReadonlySet<MessageKind> = new Set([
  'rfa',
  'rfi',
  'inquiry',
  'permission-request',
]);

/** The rule of the agreement's table for a kind and urgency: the kind's own row, else the "*" row. */
export function deadlineRule(
  doc: AgreementDocument,
  kind: string,
  urgency: Urgency,
): DeadlineRule | undefined {
  return (
    doc.deadlines.find((d) => d.message_type === kind && d.urgency === urgency) ??
    doc.deadlines.find((d) => d.message_type === '*' && d.urgency === urgency)
  );
}

/** When acknowledgement and response are due (ms since the epoch), from the message's creation. */
export function deadlinesOf(
  doc: AgreementDocument,
  m: { kind: MessageKind; urgency: Urgency; created: string },
): { ackDue: number | null; respondDue: number | null } {
  const rule = deadlineRule(doc, m.kind, m.urgency);
  const t = Date.parse(m.created);
  return {
    ackDue: rule && ACK_KINDS.has(m.kind) ? t + rule.acknowledge_hours * HOUR : null,
    respondDue: rule && RESPOND_KINDS.has(m.kind) ? t + rule.respond_hours * HOUR : null,
  };
}

/** The escalation ladder; law enforcement is a channel of its own, off the ladder. */
export const LADDER: readonly Channel[] = ['technical', 'formal-inquiry', 'crisis'];

/** The next channel up that the agreement enables, or null at the top (or off the ladder). */
export function nextChannel(doc: AgreementDocument, from: Channel): Channel | null {
  const i = LADDER.indexOf(from);
  if (i < 0) return null;
  return LADDER.slice(i + 1).find((c) => doc.channels.includes(c)) ?? null;
}

/** Which POC role answers on a channel. */
export const ROLE_OF_CHANNEL: Record<Channel, string> = {
  technical: 'technical',
  'formal-inquiry': 'policy',
  crisis: 'policy',
  'law-enforcement': 'law-enforcement',
};

/** The channel a POC of a role is reached on, among those the agreement enables. */
export function channelForRole(doc: AgreementDocument, role: string): Channel {
  const wanted = (Object.keys(ROLE_OF_CHANNEL) as Channel[]).filter((c) => ROLE_OF_CHANNEL[c] === role);
  return wanted.find((c) => doc.channels.includes(c)) ?? doc.channels[0]!;
}

/**
 * The backup point of contact of a recipient party on a channel: its POCs of the channel's role in
 * directory order, the first being the primary, the second the backup. A party with one POC of that
 * role has as backup its first POC of another role; a party with a single POC has none (null).
 */
export function backupPoc(pocs: readonly HotlinePoc[], channel: Channel): HotlinePoc | null {
  const role = ROLE_OF_CHANNEL[channel];
  const same = pocs.filter((p) => p.role === role);
  if (same.length >= 2) return same[1]!;
  const primary = same[0] ?? pocs[0];
  return pocs.find((p) => p !== primary && p.role !== role) ?? pocs.find((p) => p !== primary) ?? null;
}

const RANK: Record<RecipientState, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  acknowledged: 3,
  responded: 4,
  closed: 5,
};

/** States only move forward: a late "delivered" never undoes an "acknowledged". */
export const isAfter = (next: RecipientState, current: string): boolean =>
  RANK[next] > (RANK[current as RecipientState] ?? -1);

/** States below `s`, for "state in (...)" conditions. */
export const statesBefore = (s: RecipientState): RecipientState[] =>
  (Object.keys(RANK) as RecipientState[]).filter((x) => RANK[x] < RANK[s]);
