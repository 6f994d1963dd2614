/**
 * The payloads of the hotline's envelopes (docs/HOTLINE.md "Delivery"), and their checks on the
 * receiving side. The message itself is checked by the model (checkMessage); these are the wrappers.
 */

import { invalid } from '../core/index.js';
import { POC_ID } from '../directory/index.js';
import type { HotlineMessage } from './types.js';

/** An alert sent to a peer: a backup POC's call to act, or a failed ping reported to its nominator. */
export const HOTLINE_ALERT_ENVELOPE = 'hotline.alert';

/** `hotline.message`: the message, what it re-sends (escalation) and the POC it names (pings). */
export interface MessagePayload {
  message: HotlineMessage;
  escalates: string | null;
  poc: string | null;
}

/** `hotline.ack`: a recipient POC has the message in hand. */
export interface AckPayload {
  message: string;
  thread: string;
  poc: string;
  acknowledged: string;
}

export interface AlertPayload {
  id: string;
  kind: 'backup-poc' | 'ping-failed';
  reason: string;
  poc: string | null;
  message: string | null;
  thread: string | null;
  text: string;
  exercise: boolean;
  created: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ID = /^[\x21-\x7e]{1,200}$/;
const POC = POC_ID;

const obj = (v: unknown, what: string): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalid('hotline.bad_payload', `${what} payload is not an object`);
  return v as Record<string, unknown>;
};
const field = (ok: boolean, what: string, name: string, rule: string) => {
  if (!ok) throw invalid('hotline.bad_payload', `${what} payload: ${name} ${rule}`, { field: name });
};
const optId = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && ID.test(v));

export function parseMessagePayload(v: unknown): {
  message: unknown;
  escalates: string | null;
  poc: string | null;
} {
  const p = obj(v, 'hotline.message');
  field(
    typeof p.message === 'object' && p.message !== null,
    'hotline.message',
    'message',
    'must be an object',
  );
  field(optId(p.escalates), 'hotline.message', 'escalates', 'must be a message id or null');
  field(
    p.poc == null || (typeof p.poc === 'string' && POC.test(p.poc)),
    'hotline.message',
    'poc',
    'must be a POC id or null',
  );
  return { message: p.message, escalates: (p.escalates as string) ?? null, poc: (p.poc as string) ?? null };
}

export function parseAckPayload(v: unknown): AckPayload {
  const p = obj(v, 'hotline.ack');
  field(
    typeof p.message === 'string' && ID.test(p.message),
    'hotline.ack',
    'message',
    'must be a message id',
  );
  field(typeof p.thread === 'string' && ID.test(p.thread), 'hotline.ack', 'thread', 'must be a thread id');
  field(typeof p.poc === 'string' && POC.test(p.poc), 'hotline.ack', 'poc', 'must be a POC id');
  field(
    typeof p.acknowledged === 'string' && ISO.test(p.acknowledged),
    'hotline.ack',
    'acknowledged',
    'must be RFC 3339 UTC with milliseconds',
  );
  return p as unknown as AckPayload;
}

export function parseAlertPayload(v: unknown): AlertPayload {
  const p = obj(v, 'hotline.alert');
  field(typeof p.id === 'string' && ID.test(p.id), 'hotline.alert', 'id', 'must be an alert id');
  field(
    p.kind === 'backup-poc' || p.kind === 'ping-failed',
    'hotline.alert',
    'kind',
    'must be backup-poc or ping-failed',
  );
  field(
    typeof p.reason === 'string' && p.reason.length <= 100,
    'hotline.alert',
    'reason',
    'must be a short string',
  );
  field(
    p.poc === null || (typeof p.poc === 'string' && POC.test(p.poc)),
    'hotline.alert',
    'poc',
    'must be a POC id or null',
  );
  field(optId(p.message) && optId(p.thread), 'hotline.alert', 'message', 'and thread must be ids or null');
  field(
    typeof p.text === 'string' && p.text.length <= 2000,
    'hotline.alert',
    'text',
    'must be at most 2000 characters',
  );
  field(typeof p.exercise === 'boolean', 'hotline.alert', 'exercise', 'must be a boolean');
  field(
    typeof p.created === 'string' && ISO.test(p.created),
    'hotline.alert',
    'created',
    'must be RFC 3339 UTC',
  );
  return {
    ...(p as unknown as AlertPayload),
    message: (p.message as string) ?? null,
    thread: (p.thread as string) ?? null,
  };
}
