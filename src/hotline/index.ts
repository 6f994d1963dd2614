/**
 * hotline: messages between the parties of an agreement with signed receipts, acknowledgements by
 * points of contact, deadlines and escalation, and ping tests. See docs/HOTLINE.md.
 */
export type {
  HotlineAgreements,
  HotlineDeps,
  HotlineDirectory,
  HotlineInbox,
  HotlineOutbox,
  HotlinePoc,
} from './deps.js';
export type { DeadlineReport, Escalation } from './escalation.js';
export { HotlineEmitter, type HotlineEventName, type HotlineEvents } from './events.js';
export { Hotline, type ListOptions, type ThreadView } from './hotline.js';
export * from './model/index.js';
export type { MessageInput } from './outgoing.js';
export {
  DEFAULT_PING_EVERY_DAYS,
  type PingResults,
  type PingRun,
  type PingSchedule,
  type PingView,
} from './pings.js';
export {
  ACK_KINDS,
  backupPoc,
  deadlineRule,
  deadlinesOf,
  LADDER,
  nextChannel,
  RESPOND_KINDS,
  ROLE_OF_CHANNEL,
} from './policy.js';
export type { AckStatus, AlertView, MessageView, RecipientView } from './records.js';
export type { HotlineStats, PartyStats } from './stats.js';
export * from './types.js';
export { type AckPayload, type AlertPayload, HOTLINE_ALERT_ENVELOPE, type MessagePayload } from './wire.js';
