/**
 * A message to send from `parley send`'s flags and/or a file (JSON, or YAML for .yaml/.yml): the
 * file gives the base, flags override it field by field. What neither gives, the hotline's
 * composeMessage defaults (docs/HOTLINE.md); the CLI adds only a channel by kind and, for a
 * notification, a new incident at the early-warning stage.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { invalid, isParleyError, ParleyError } from '../../../core/index.js';
import type { MessageInput } from '../../../hotline/index.js';

/** The flags `parley send` takes, as commander parses them. */
export interface SendFlags {
  file?: string;
  agreement?: string;
  to: string[];
  channel?: string;
  urgency?: string;
  category?: string;
  rsit?: string;
  subject?: string;
  description?: string;
  sector: string[];
  criticalInfrastructure?: boolean;
  malicious?: string;
  crossBorder?: string;
  respondWithin?: string;
  tlp?: string;
  pap?: string;
  language?: string;
  stix?: string;
  incident?: string;
  stage?: string;
  exercise?: boolean;
  poc?: string;
  thread?: string;
  replyTo?: string;
}

/** Which flag sets a message field, so an error about the field can name the flag. */
export const FLAG_OF: Record<string, string> = {
  agreement: '--agreement',
  recipients: '--to',
  channel: '--channel',
  urgency: '--urgency',
  category: '--category',
  rsit: '--rsit',
  subject: '--subject',
  description: '--description',
  affected_sectors: '--sector',
  critical_infrastructure: '--critical-infrastructure',
  suspected_malicious: '--malicious',
  cross_border: '--cross-border',
  requested_response_hours: '--respond-within',
  tlp: '--tlp',
  pap: '--pap',
  language: '--language',
  stix: '--stix',
  incident: '--incident',
  stage: '--stage',
  exercise: '--exercise',
  from: '--poc',
  thread: '--thread',
  in_reply_to: '--reply-to',
};

/** Reads a JSON or YAML file holding one object. */
export function readObjectFile(file: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw invalid('cli.bad_file', `${what} ${file} cannot be read: ${(e as Error).message}`, { file });
  }
  let v: unknown;
  try {
    v = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw invalid(
      'cli.bad_file',
      `${what} ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
      { file },
    );
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw invalid('cli.bad_file', `${what} ${file} must hold one object (a message's fields)`, { file });
  return v as Record<string, unknown>;
}

/** STIX objects from a bundle, a JSON array or a single object. */
export function readStix(file: string): Record<string, unknown>[] {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalid('cli.bad_file', `--stix ${file}: ${(e as Error).message}`, { field: 'stix', file });
  }
  if (Array.isArray(v)) return v as Record<string, unknown>[];
  const o = v as { type?: unknown; objects?: unknown };
  if (o && o.type === 'bundle')
    return Array.isArray(o.objects) ? (o.objects as Record<string, unknown>[]) : [];
  if (o && typeof o === 'object') return [o as Record<string, unknown>];
  throw invalid('cli.bad_file', `--stix ${file} must hold a bundle, an array or one STIX object`, {
    field: 'stix',
  });
}

/** "amber", "TLP:AMBER" and "tlp:amber" all name TLP:AMBER. */
const label = (prefix: 'TLP' | 'PAP', v: string | undefined) =>
  v === undefined ? undefined : `${prefix}:${v.replace(/^(tlp|pap):/i, '').toUpperCase()}`;

function number(flag: string, field: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw invalid('hotline.invalid_message', `${flag} must be a number of hours, got "${v}"`, { field });
  return n;
}

/** The message input of `parley send KIND`. */
export function messageInput(kind: string, f: SendFlags): MessageInput {
  const base = f.file ? readObjectFile(f.file, '--file') : {};
  if (base.kind !== undefined && base.kind !== kind)
    throw invalid(
      'hotline.invalid_message',
      `--file ${f.file} is a ${String(base.kind)} message, not a ${kind}`,
      {
        field: 'kind',
      },
    );
  const flags: Record<string, unknown> = {
    agreement: f.agreement,
    recipients: f.to.length ? f.to : undefined,
    channel: f.channel,
    urgency: f.urgency,
    category: f.category,
    rsit: f.rsit,
    subject: f.subject,
    description: f.description,
    affected_sectors: f.sector.length ? f.sector : undefined,
    critical_infrastructure: f.criticalInfrastructure,
    suspected_malicious: f.malicious,
    cross_border: f.crossBorder,
    requested_response_hours: number('--respond-within', 'requested_response_hours', f.respondWithin),
    tlp: label('TLP', f.tlp),
    pap: label('PAP', f.pap),
    language: f.language,
    stix: f.stix ? readStix(f.stix) : undefined,
    incident: f.incident,
    stage: f.stage,
    exercise: f.exercise,
    from: f.poc,
    thread: f.thread,
    in_reply_to: f.replyTo,
  };
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const m: Record<string, unknown> = { ...base, ...given, kind };
  m.channel ??= kind === 'inquiry' ? 'formal-inquiry' : 'technical';
  if (kind === 'notification') {
    m.stage ??= 'early-warning';
    // A chain of reports starts with its early warning: that is when the incident gets its id.
    m.incident ??= `inc--${randomUUID()}`;
  }
  if (typeof m.agreement !== 'string')
    throw invalid('hotline.invalid_message', 'hotline message: agreement is missing (--agreement ID)', {
      field: 'agreement',
    });
  return m as MessageInput;
}

/** Adds the flag to an error about a message field: "hotline message: urgency is missing (--urgency)". */
export function withFlag(e: unknown): unknown {
  if (!isParleyError(e)) return e;
  const field =
    String(e.details.field ?? '')
      .replace(/\[\d+\]$/, '')
      .split('.')[0] ?? '';
  const flag = FLAG_OF[field];
  if (!flag || e.message.includes(flag)) return e;
  return new ParleyError(e.code, `${e.message} (${flag})`, e.status, e.details, { cause: e });
}
