/**
 * What a reader sees in their own language: field labels and the names of every enumerated value.
 * The tables are typed by the model's own unions, so a new kind, stage, state or field does not
 * compile until it has a name in all three languages.
 */
import type { Channel, Urgency } from '../../../pact/index.js';
import type {
  HotlineMessage,
  MessageKind,
  NotificationStage,
  RecipientState,
  SharingPermission,
  Tristate,
} from '../../types.js';

export const READER_LANGS = ['en', 'ru', 'zh'] as const;
export type ReaderLang = (typeof READER_LANGS)[number];

/** The reader language for a BCP 47 tag ("zh-Hans-CN" reads Chinese); English when none fits. */
export function readerLanguage(tag: string): ReaderLang {
  const primary = tag.toLowerCase().split('-')[0];
  return (READER_LANGS as readonly string[]).includes(primary ?? '') ? (primary as ReaderLang) : 'en';
}

export type FieldKey =
  | keyof HotlineMessage
  | `sender.${keyof HotlineMessage['sender']}`
  | `permission.${keyof SharingPermission}`;

/** Every field of a message, nested ones included, in the order they are shown. */
export const FIELD_KEYS = [
  'schema',
  'id',
  'kind',
  'thread',
  'in_reply_to',
  'incident',
  'stage',
  'agreement',
  'channel',
  'sender',
  'sender.node',
  'sender.party',
  'sender.poc',
  'recipients',
  'urgency',
  'category',
  'rsit',
  'subject',
  'description',
  'affected_sectors',
  'critical_infrastructure',
  'suspected_malicious',
  'cross_border',
  'requested_response_hours',
  'tlp',
  'pap',
  'language',
  'stix',
  'permission',
  'permission.object_refs',
  'permission.share_with',
  'permission.tlp',
  'permission.granted',
  'exercise',
  'created',
] as const satisfies readonly FieldKey[];

/** NIS2 (Directive 2022/2555) Annex I and II sectors: the codes `affected_sectors` is read with. */
export const SECTORS = [
  'energy',
  'transport',
  'banking',
  'financial-market-infrastructure',
  'health',
  'drinking-water',
  'waste-water',
  'digital-infrastructure',
  'ict-service-management',
  'public-administration',
  'space',
  'postal-and-courier',
  'waste-management',
  'chemicals',
  'food',
  'manufacturing',
  'digital-providers',
  'research',
] as const;

/** The RSIT classes (Reference Security Incident Taxonomy, e-CSIRT/TF-CSIRT). */
export const RSIT_CLASSES = [
  'abusive-content',
  'malicious-code',
  'information-gathering',
  'intrusion-attempts',
  'intrusions',
  'availability',
  'information-content-security',
  'fraud',
  'vulnerable',
  'other',
  'test',
] as const;

/** Short names of the default taxonomy (Article 2 of the 2015 agreement, pact/defaults.ts). */
export const DEFAULT_CATEGORY_CODES = ['art2.1', 'art2.2', 'art2.3', 'art2.4', 'art2.5', 'art2.6'] as const;

export interface Vocabulary {
  fields: Record<FieldKey, string>;
  kinds: Record<MessageKind, string>;
  stages: Record<NotificationStage, string>;
  urgencies: Record<Urgency, string>;
  /** Recipient states, and `overdue`, which is computed. */
  states: Record<RecipientState | 'overdue', string>;
  tristate: Record<Tristate, string>;
  yesNo: { yes: string; no: string };
  granted: { yes: string; no: string };
  channels: Record<Channel, string>;
  sectors: Record<(typeof SECTORS)[number], string>;
  rsit: Record<(typeof RSIT_CLASSES)[number], string>;
  categories: Record<(typeof DEFAULT_CATEGORY_CODES)[number], string>;
  languages: Record<ReaderLang, string>;
  /** Shown first on every exercise message. */
  exerciseBanner: string;
  /** "share with every party of the agreement" (permission.share_with "agreement"). */
  everyParty: string;
  /** "{h} h". */
  hours: string;
  /** Between a label and its value. */
  colon: string;
  /** Between items of a list. */
  comma: string;
}
