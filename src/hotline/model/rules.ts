/**
 * The rules a message's shape cannot state alone: what each kind needs, how the thread fields fit
 * together, and what the agreement allows (its channels, parties, taxonomy and languages).
 */
import { canonicalJson } from '../../crypto/index.js';
import { type AgreementDocument, agreementIdOf } from '../../pact/index.js';
import type { HotlineMessage, MessageKind } from '../types.js';
import { HOTLINE_CHANNEL_NOT_ENABLED, quote, refuse } from './errors.js';

type Need = 'required' | 'optional' | 'none';

export interface KindRule {
  /** A code of the agreement's threat taxonomy. */
  category: Need;
  /** An RSIT class of that category (never without a category). */
  rsit: Need;
  incident: Need;
  /** Notification stages; `required` for notifications, `none` for every other kind. */
  stage: Need;
  in_reply_to: Need;
  /** A non-blank description. */
  description: 'required' | 'optional';
  /** `request`: a permission without `granted`; `grant`: with it. */
  permission: 'request' | 'grant' | 'none';
  stix: 'optional' | 'none';
}

const base: KindRule = {
  category: 'optional',
  rsit: 'optional',
  incident: 'optional',
  stage: 'none',
  in_reply_to: 'optional',
  description: 'required',
  permission: 'none',
  stix: 'optional',
};

/** What each kind needs; docs/HOTLINE.md has the same table for people. */
export const KIND_RULES: Record<MessageKind, KindRule> = {
  notification: { ...base, category: 'required', rsit: 'required', incident: 'required', stage: 'required' },
  rfa: base,
  rfi: base,
  inquiry: { ...base, category: 'required' },
  advisory: base,
  response: { ...base, in_reply_to: 'required' },
  closure: { ...base, category: 'none', rsit: 'none', in_reply_to: 'required', description: 'optional' },
  ping: {
    ...base,
    category: 'none',
    rsit: 'none',
    incident: 'none',
    in_reply_to: 'none',
    description: 'optional',
    stix: 'none',
  },
  'permission-request': { ...base, description: 'optional', permission: 'request' },
  'permission-grant': { ...base, in_reply_to: 'required', description: 'optional', permission: 'grant' },
};

function need(kind: MessageKind, field: string, rule: Need, value: unknown): void {
  if (rule === 'required' && value === null) throw refuse(field, `is required for a ${kind} message`);
  if (rule === 'none' && value !== null) throw refuse(field, `must be null for a ${kind} message`);
}

/** Throws on the first rule `m` (already of the right shape) breaks. */
export function checkRules(m: HotlineMessage, agreement: AgreementDocument): void {
  const agr = agreementIdOf(agreement);
  if (m.agreement !== agr) throw refuse('agreement', `${m.agreement} is not the agreement given (${agr})`);
  if (!agreement.channels.includes(m.channel))
    throw refuse(
      'channel',
      `"${m.channel}" is not enabled by agreement ${agr} (enabled: ${agreement.channels.join(', ')})`,
      HOTLINE_CHANNEL_NOT_ENABLED,
    );
  checkParties(m, agreement, agr);
  checkLanguage(m.language, agreement.languages, agr);
  if (Number.isNaN(Date.parse(m.created)) || new Date(m.created).toISOString() !== m.created)
    throw refuse('created', `${m.created} is not a real instant (RFC 3339 UTC with milliseconds)`);
  if (m.subject.trim() === '') throw refuse('subject', 'must not be blank');
  if (/[\r\n]/.test(m.subject)) throw refuse('subject', 'must be one line');
  checkThread(m);
  const rule = KIND_RULES[m.kind];
  need(m.kind, 'category', rule.category, m.category);
  need(m.kind, 'rsit', rule.rsit, m.rsit);
  need(m.kind, 'incident', rule.incident, m.incident);
  need(m.kind, 'stage', rule.stage, m.stage);
  need(m.kind, 'in_reply_to', rule.in_reply_to, m.in_reply_to);
  if (rule.description === 'required' && m.description.trim() === '')
    throw refuse('description', `is required for a ${m.kind} message`);
  if (rule.stix === 'none' && m.stix.length > 0)
    throw refuse('stix', `must be empty for a ${m.kind} message`);
  checkCategory(m, agreement, agr);
  checkPermission(m, agreement, agr);
  try {
    // The message travels as RFC 8785 canonical JSON: lone surrogates and non-finite numbers have no form there.
    canonicalJson(m);
  } catch (e) {
    throw refuse('message', `has no canonical JSON form (${e instanceof Error ? e.message : String(e)})`);
  }
}

function checkParties(m: HotlineMessage, agreement: AgreementDocument, agr: string): void {
  const sender = agreement.parties.find((p) => p.node === m.sender.node);
  if (!sender) throw refuse('sender.node', `${m.sender.node} is not a party of agreement ${agr}`);
  if (m.sender.party !== sender.party)
    throw refuse(
      'sender.party',
      `${quote(m.sender.party)} is not the party name of ${sender.node} in the agreement (${quote(sender.party)})`,
    );
  const seen = new Set<string>();
  for (const [i, r] of m.recipients.entries()) {
    const f = `recipients[${i}]`;
    if (seen.has(r)) throw refuse(f, `lists ${r} twice`);
    seen.add(r);
    if (r === m.sender.node) throw refuse(f, `is the sender ${r}: a message goes to other parties`);
    if (!agreement.parties.some((p) => p.node === r))
      throw refuse(f, `${r} is not a party of agreement ${agr}`);
  }
}

/** RFC 4647 basic filtering: the agreement's "zh" admits "zh-Hans"; tags compare case-insensitively. */
export function languageAllowed(tag: string, allowed: readonly string[]): boolean {
  const t = tag.toLowerCase();
  return allowed.some((a) => {
    const r = a.toLowerCase();
    return t === r || t.startsWith(`${r}-`);
  });
}

function checkLanguage(tag: string, allowed: readonly string[], agr: string): void {
  if (!languageAllowed(tag, allowed))
    throw refuse(
      'language',
      `"${tag}" is not a working language of agreement ${agr} (${allowed.join(', ')})`,
    );
}

function checkThread(m: HotlineMessage): void {
  if (m.in_reply_to === m.id) throw refuse('in_reply_to', 'must not be the message itself');
  if (m.in_reply_to !== null && m.thread === m.id)
    throw refuse('thread', 'of a reply must be the thread of the message it answers, not its own id');
}

function checkCategory(m: HotlineMessage, agreement: AgreementDocument, agr: string): void {
  if (m.category === null) {
    if (m.rsit !== null) throw refuse('rsit', 'needs a category: an RSIT class is given within a category');
    return;
  }
  const entry = agreement.taxonomy.find((t) => t.code === m.category);
  if (!entry)
    throw refuse(
      'category',
      `${quote(m.category)} is not in the taxonomy of agreement ${agr} (${agreement.taxonomy.map((t) => t.code).join(', ')})`,
    );
  if (m.rsit !== null && !entry.rsit.includes(m.rsit))
    throw refuse(
      'rsit',
      `${quote(m.rsit)} is not an RSIT class of category ${entry.code} (${entry.rsit.join(', ')})`,
    );
}

function checkPermission(m: HotlineMessage, agreement: AgreementDocument, agr: string): void {
  const want = KIND_RULES[m.kind].permission;
  const p = m.permission;
  if (want === 'none') {
    if (p !== null) throw refuse('permission', `must be null for a ${m.kind} message`);
    return;
  }
  if (p === null) throw refuse('permission', `is required for a ${m.kind} message`);
  if (want === 'grant' && p.granted === undefined)
    throw refuse('permission.granted', 'is required in a grant: true grants, false declines');
  if (want === 'request' && p.granted !== undefined)
    throw refuse('permission.granted', 'belongs to a grant, not to a request');
  for (const [i, w] of p.share_with.entries()) {
    if (w !== 'agreement' && !agreement.parties.some((x) => x.node === w))
      throw refuse(
        `permission.share_with[${i}]`,
        `${w} is neither a party of agreement ${agr} nor "agreement"`,
      );
  }
}
