/**
 * The hotline's message model, schema `parley/hotline/1`: the standard messages of the 2015
 * agreement's "communication channels allowing prompt response" and of the 2013 CBMs' formal
 * inquiries and crisis line. One message travels, sealed, in one `hotline.message` envelope to the
 * recipients it names; states (delivered, acknowledged, ...) are tracked per recipient.
 * Field rules per kind are enforced by `checkMessage` (model/check.ts) and documented in
 * docs/HOTLINE.md.
 */
import type { Channel, Urgency } from '../pact/index.js';

export const MESSAGE_SCHEMA_V1 = 'parley/hotline/1';

export const MESSAGE_KINDS = [
  'notification',
  'rfa',
  'rfi',
  'inquiry',
  'advisory',
  'response',
  'closure',
  'ping',
  'permission-request',
  'permission-grant',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** The chain of an incident notification (NIS2 Article 23 style), linked by `incident`. */
export const NOTIFICATION_STAGES = ['early-warning', 'notification', 'intermediate', 'final'] as const;
export type NotificationStage = (typeof NOTIFICATION_STAGES)[number];

export const TRISTATE = ['yes', 'no', 'unknown'] as const;
export type Tristate = (typeof TRISTATE)[number];

export const TLP_LABELS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];
export const PAP_LABELS = ['PAP:CLEAR', 'PAP:GREEN', 'PAP:AMBER', 'PAP:RED'] as const;
export type PapLabel = (typeof PAP_LABELS)[number];

/** A sharing-permission request or grant (TLP 2.0: sharing wider than the label needs the source's word). */
export interface SharingPermission {
  /** STIX ids of the objects concerned. */
  object_refs: string[];
  /** Who the requester wants to share with: node ids, or "agreement" for every party of the agreement. */
  share_with: string[];
  /** The label the objects may be shared under once granted. */
  tlp: TlpLabel;
  /** Grant only: true grants, false declines. */
  granted?: boolean;
}

export interface HotlineMessage {
  schema: typeof MESSAGE_SCHEMA_V1;
  /** "msg--" + UUID; the receiving side is idempotent on it. */
  id: string;
  kind: MessageKind;
  /** The thread: the id of its first message (equal to `id` for a first message). */
  thread: string;
  /** The message this one answers (response, closure, grant), if any. */
  in_reply_to: string | null;
  /** Notifications: "inc--" + UUID, the incident record the chain of stages belongs to. */
  incident: string | null;
  /** Notifications only. */
  stage: NotificationStage | null;
  agreement: string;
  channel: Channel;
  sender: { node: string; party: string; poc: string };
  /** Recipient node ids (parties of the agreement other than the sender). */
  recipients: string[];
  urgency: Urgency;
  /** A code of the agreement's threat taxonomy, or null where the kind has none (ping, closure). */
  category: string | null;
  /** RSIT class (e.g. "intrusions"), or null. */
  rsit: string | null;
  subject: string;
  description: string;
  affected_sectors: string[];
  critical_infrastructure: boolean;
  suspected_malicious: Tristate;
  cross_border: Tristate;
  /** What the sender asks for, in hours (the agreement's deadline table still rules overdue). */
  requested_response_hours: number | null;
  tlp: TlpLabel;
  pap: PapLabel;
  /** BCP 47 tag of the free text (subject, description). */
  language: string;
  /** Attached STIX 2.1 objects (validated by the STIX core). */
  stix: Record<string, unknown>[];
  /** Permission request and grant only. */
  permission: SharingPermission | null;
  /** Exercise traffic: marked everywhere, kept out of statistics. */
  exercise: boolean;
  /** RFC 3339 UTC with milliseconds. */
  created: string;
}

/** Per-recipient states, in the order they are reached. `overdue` is computed, never stored. */
export const RECIPIENT_STATES = [
  'queued',
  'sent',
  'delivered',
  'acknowledged',
  'responded',
  'closed',
] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/** The envelope type that carries hotline traffic. */
export const HOTLINE_ENVELOPE = 'hotline.message';
/** The envelope type of an acknowledgement signed by a recipient's point of contact. */
export const HOTLINE_ACK_ENVELOPE = 'hotline.ack';
