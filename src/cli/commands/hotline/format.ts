/** How hotline lists and timelines read, in the CLI's language (labels from the i18n tables). */
import {
  type AlertView,
  type MessageView,
  type ReaderLang,
  type RecipientView,
  STRINGS,
  type StringKey,
  t,
  vocabulary,
} from '../../../hotline/index.js';
import { hours } from './common.js';

const stateLabel = (lang: ReaderLang, r: RecipientView): string =>
  `${t(lang, `state.${r.state}` as StringKey)}${r.overdue ? ` (${t(lang, 'state.overdue')})` : ''}`;

/** One line of `parley inbox` / `parley sent`. */
export function messageLine(lang: ReaderLang, m: MessageView): string {
  const v = vocabulary(lang);
  const states =
    m.direction === 'in'
      ? stateLabel(lang, m.recipients[0]!)
      : m.recipients.map((r) => `${r.node}: ${stateLabel(lang, r)}`).join(v.comma);
  const exercise = m.exercise ? `[${t(lang, 'exercise.marker')}] ` : '';
  const kind = m.message.stage
    ? `${v.kinds[m.message.kind]} — ${v.stages[m.message.stage]}`
    : v.kinds[m.message.kind];
  return [
    m.created,
    m.id,
    `${exercise}${kind}`,
    v.urgencies[m.message.urgency],
    m.from,
    states,
    m.subject,
  ].join('  ');
}

/**
 * A recipient's timeline against the deadline: sent, delivered, acknowledged, responded, and how
 * the acknowledgement (and the answer, where one is asked) stands against the agreement's deadline.
 */
export function recipientTimeline(lang: ReaderLang, m: MessageView, r: RecipientView, now: number): string {
  const s = (key: StringKey, vars?: Record<string, string | number>) => t(lang, key, vars);
  const parts = [s('timeline.sent', { at: m.created })];
  parts.push(r.deliveredAt ? s('timeline.delivered', { at: r.deliveredAt }) : s('timeline.not_delivered'));
  if (r.acknowledgedAt)
    parts.push(s('timeline.acknowledged', { at: r.acknowledgedAt, poc: r.ackPoc ?? '-' }));
  if (r.respondedAt) parts.push(s('timeline.responded', { at: r.respondedAt }));
  const ackDue = r.ackDue ? Date.parse(r.ackDue) : null;
  switch (r.acknowledgement) {
    case 'within deadline':
      parts.push(s('deadline.acknowledged_within'));
      break;
    case 'over deadline':
      parts.push(s('deadline.acknowledged_late', { h: hours(Date.parse(r.acknowledgedAt!) - ackDue!) }));
      break;
    case 'overdue':
      parts.push(s('deadline.overdue_by', { h: hours(now - ackDue!) }));
      break;
    case 'pending':
      parts.push(
        `${s('timeline.ack_due', { at: r.ackDue! })} (${s('deadline.due_in', { h: hours(ackDue! - now) })})`,
      );
      break;
    default:
      if (!r.respondDue) parts.push(s('deadline.none'));
  }
  if (r.respondDue) {
    const due = Date.parse(r.respondDue);
    if (r.respondedAt && Date.parse(r.respondedAt) <= due) parts.push(s('deadline.responded_within'));
    else if (!r.respondedAt && now > due && r.state !== 'closed')
      parts.push(s('deadline.response_overdue_by', { h: hours(now - due) }));
    else if (!r.respondedAt) parts.push(s('timeline.respond_due', { at: r.respondDue }));
  }
  return `${r.node}: ${parts.join('; ')}`;
}

/** One line of `parley alerts`. */
export function alertLine(lang: ReaderLang, a: AlertView): string {
  const known = (key: string): string =>
    Object.hasOwn(STRINGS.en, key) ? t(lang, key as StringKey) : key.split('.').at(-1)!;
  const where =
    a.direction === 'local'
      ? t(lang, 'alert.local')
      : t(lang, a.direction === 'out' ? 'alert.out' : 'alert.in', { node: a.node });
  const exercise = a.exercise ? `[${t(lang, 'exercise.marker')}] ` : '';
  return [
    a.createdAt,
    `${exercise}${known(`alert.kind.${a.kind}`)}`,
    where,
    known(`alert.reason.${a.reason}`),
    a.poc ?? '-',
    a.message ?? '-',
    a.text,
  ].join('  ');
}
