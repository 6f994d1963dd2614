/**
 * The defaults an agreement starts from: the threat taxonomy of Article 2 of the 2015 agreement
 * mapped onto RSIT classes (see /work/shared/DESIGN.md "Threat categories"), and a deadline table
 * modelled on NIS2 Article 23 (early warning within 24 h, notification within 72 h).
 */

export const CHANNELS = ['technical', 'formal-inquiry', 'crisis', 'law-enforcement'] as const;
export type Channel = (typeof CHANNELS)[number];

export const URGENCIES = ['critical', 'high', 'medium', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const AUTHORITY_ROLES = ['policy', 'technical', 'law-enforcement'] as const;

export interface TaxonomyEntry {
  code: string;
  label: string;
  /** RSIT classes (Reference Security Incident Taxonomy) the category maps onto. */
  rsit: string[];
}

export interface DeadlineRule {
  /** A hotline message type, or "*" for any. */
  message_type: string;
  urgency: Urgency;
  acknowledge_hours: number;
  respond_hours: number;
}

/** Article 2 of the 2015 agreement: the six uses of ICT the parties count as threats. */
export const DEFAULT_TAXONOMY: readonly TaxonomyEntry[] = [
  {
    code: 'art2.1',
    label: 'acts of aggression against the sovereignty, security and territorial integrity of states',
    rsit: ['intrusions', 'availability', 'malicious-code'],
  },
  {
    code: 'art2.2',
    label: 'economic and other damage, including destructive impact on information infrastructure',
    rsit: ['availability', 'malicious-code', 'information-content-security'],
  },
  {
    code: 'art2.3',
    label: 'terrorist purposes, including propaganda and recruitment',
    rsit: ['abusive-content'],
  },
  {
    code: 'art2.4',
    label: 'crimes, including unlawful access to computer information',
    rsit: ['intrusions', 'intrusion-attempts', 'fraud', 'information-content-security'],
  },
  {
    code: 'art2.5',
    label: 'interference in internal affairs, destabilisation of the political and socio-economic situation',
    rsit: ['abusive-content', 'information-gathering'],
  },
  {
    code: 'art2.6',
    label:
      'dissemination of information harmful to the socio-political and socio-economic systems and the spiritual, moral and cultural environment of other states',
    rsit: ['abusive-content'],
  },
];

/** Acknowledge and respond, in hours, for any message type, by urgency. */
export const DEFAULT_DEADLINES: readonly DeadlineRule[] = [
  { message_type: '*', urgency: 'critical', acknowledge_hours: 1, respond_hours: 24 },
  { message_type: '*', urgency: 'high', acknowledge_hours: 4, respond_hours: 72 },
  { message_type: '*', urgency: 'medium', acknowledge_hours: 24, respond_hours: 168 },
  { message_type: '*', urgency: 'low', acknowledge_hours: 72, respond_hours: 720 },
];

/** Points of contact not confirmed within this many days are stale, unless the agreement says otherwise. */
export const DEFAULT_POC_CONFIRM_DAYS = 180;

/** Article 5 of the 2015 agreement: competent authorities are exchanged within 60 days of entry into force. */
export const AUTHORITIES_EXCHANGE_DAYS = 60;

export const MESSAGE_SCHEMA = 'parley/1';
