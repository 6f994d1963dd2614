/**
 * What the compose form checks as one types: the rules of the message model a form can judge on
 * its own (docs/HOTLINE.md "Schema" and "Kinds"). The node checks everything again on send and
 * names the field it refuses, which the form shows beside that field.
 */
import type { UiKey } from '../../i18n/index.js';

export interface Draft {
  kind: string;
  agreement: string;
  channel: string;
  urgency: string;
  stage: string;
  category: string;
  rsit: string;
  subject: string;
  description: string;
  tlp: string;
  pap: string;
  language: string;
  requested_response_hours: string;
  exercise: boolean;
  from: string;
}

export interface Problem {
  key: UiKey;
  n?: number;
}

const NEEDS_CATEGORY = new Set(['notification', 'inquiry']);
const NEEDS_DESCRIPTION = new Set(['notification', 'rfa', 'rfi', 'inquiry', 'advisory', 'response']);

/** Length in code points, as the node counts. */
const len = (s: string) => [...s].length;

export function checkDraft(d: Draft): Partial<Record<keyof Draft, Problem>> {
  const out: Partial<Record<keyof Draft, Problem>> = {};
  if (!d.agreement) out.agreement = { key: 'hl.check.required' };
  if (!d.urgency) out.urgency = { key: 'hl.check.required' };
  if (!d.subject.trim()) out.subject = { key: 'hl.check.required' };
  else if (/[\r\n]/.test(d.subject)) out.subject = { key: 'hl.check.one_line' };
  else if (len(d.subject) > 300) out.subject = { key: 'hl.check.too_long', n: 300 };
  if (len(d.description) > 20000) out.description = { key: 'hl.check.too_long', n: 20000 };
  else if (NEEDS_DESCRIPTION.has(d.kind) && !d.description.trim())
    out.description = { key: 'hl.check.required' };
  if (NEEDS_CATEGORY.has(d.kind) && !d.category) out.category = { key: 'hl.check.required' };
  if (d.kind === 'notification' && !d.rsit) out.rsit = { key: 'hl.check.required' };
  if (d.kind === 'notification' && !d.stage) out.stage = { key: 'hl.check.required' };
  if (d.requested_response_hours !== '') {
    const h = Number(d.requested_response_hours);
    if (!(h > 0 && h <= 8760)) out.requested_response_hours = { key: 'hl.check.hours' };
  }
  return out;
}

/** The send body (docs/HOTLINE.md "POST messages"): only what the form sets. */
export function sendBody(d: Draft, newIncident: () => string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    agreement: d.agreement,
    kind: d.kind,
    channel: d.channel,
    urgency: d.urgency,
    subject: d.subject,
    description: d.description,
    tlp: d.tlp,
    pap: d.pap,
    language: d.language,
    exercise: d.exercise,
  };
  if (d.from) body.from = d.from;
  if (d.category) body.category = d.category;
  if (d.rsit) body.rsit = d.rsit;
  if (d.kind === 'notification') {
    body.stage = d.stage;
    body.incident = newIncident();
  }
  if (d.requested_response_hours !== '') body.requested_response_hours = Number(d.requested_response_hours);
  return body;
}
