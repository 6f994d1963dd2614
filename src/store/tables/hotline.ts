/**
 * Row types of migration 0009-hotline: threads, messages (sent and received), per-recipient
 * states, alerts, and ping tests. Times are RFC 3339 UTC with milliseconds unless the column holds
 * a deadline (ms since the epoch, compared against the injected clock). Booleans are 0/1.
 */
import type { Generated } from 'kysely';

/** One conversation; its channel moves up on escalation, its history stays in hotline_messages. */
export interface HotlineThreadsTable {
  /** The id of the thread's first message. */
  id: string;
  agreement: string;
  /** The current channel (the last one a message of the thread travelled on). */
  channel: string;
  subject: string;
  exercise: number;
  opened_at: string;
  closed_at: string | null;
  /** The node that closed the thread. */
  closed_by: string | null;
  updated_at: string;
}

/** A hotline message this node sent ('out') or received ('in'). */
export interface HotlineMessagesTable {
  seq: Generated<number>;
  id: string;
  thread: string;
  direction: string;
  kind: string;
  agreement: string;
  channel: string;
  sender_node: string;
  urgency: string;
  in_reply_to: string | null;
  /** The message this one re-sends one channel up, or null. */
  escalates: string | null;
  /** The recipient point of contact the message names (pings), or null. */
  to_poc: string | null;
  exercise: number;
  created: string;
  /** When this node received it ('in' only). */
  received_at: string | null;
  /** The checked HotlineMessage, JSON. */
  body: string;
}

/** The state of one message at one recipient node; on the receiving side, the row of this node. */
export interface HotlineRecipientsTable {
  message_id: string;
  recipient: string;
  /** queued | delivered | acknowledged | responded | closed */
  state: string;
  /** Deadlines, ms since the epoch, or null where the kind has none. */
  ack_due: number | null;
  respond_due: number | null;
  delivered_at: string | null;
  envelope_id: string | null;
  envelope_hash: string | null;
  /** The recipient's signed receipt, JSON. */
  receipt: string | null;
  /** Why delivery was refused, if it was. */
  error: string | null;
  acknowledged_at: string | null;
  ack_poc: string | null;
  ack_received_at: string | null;
  responded_at: string | null;
  response_id: string | null;
  closed_at: string | null;
  /** 1 once the missed acknowledgement (resp. response) deadline has fired. */
  escalated_ack: number;
  escalated_respond: number;
  updated_at: string;
}

/** Alerts: raised here ('local'), sent to a peer ('out') or received from one ('in'). */
export interface HotlineAlertsTable {
  seq: Generated<number>;
  id: string;
  /** duty-officer | backup-poc | ping-failed */
  kind: string;
  direction: string;
  /** The other node: the recipient concerned (local), the addressee (out), the sender (in). */
  node: string;
  /** The point of contact the alert names, or null. */
  poc: string | null;
  /** acknowledge-overdue | respond-overdue | ping-failed */
  reason: string;
  message_id: string | null;
  thread: string | null;
  text: string;
  exercise: number;
  created_at: string;
  delivered_at: string | null;
}

/** The ping-test schedule (one row, id 'default'). */
export interface HotlinePingScheduleTable {
  id: string;
  every_days: number;
  /** JSON array of POC selectors ("owner/id" or "id"), or null for all. */
  pocs: string | null;
  /** Next run, ms since the epoch. */
  next_at: number;
  last_run: string | null;
  updated_at: string;
}

/** One communication check of one point of contact. */
export interface HotlinePingsTable {
  seq: Generated<number>;
  id: string;
  run_id: string;
  message_id: string | null;
  owner_node: string;
  poc_id: string;
  agreement: string | null;
  sent_at: string;
  ack_due: number | null;
  delivered_at: string | null;
  acknowledged_at: string | null;
  /** Time to acknowledge, ms from sending. */
  ack_ms: number | null;
  ack_poc: string | null;
  /** pending | passed | failed */
  outcome: string;
  reason: string | null;
  /** 1 once a failure has been reported (locally and to the POC's owner). */
  reported: number;
  updated_at: string;
}

export interface HotlineTables {
  hotline_threads: HotlineThreadsTable;
  hotline_messages: HotlineMessagesTable;
  hotline_recipients: HotlineRecipientsTable;
  hotline_alerts: HotlineAlertsTable;
  hotline_ping_schedule: HotlinePingScheduleTable;
  hotline_pings: HotlinePingsTable;
}
