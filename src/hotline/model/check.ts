/**
 * `checkMessage`: the gate every hotline message passes, at the sender before anything is sent
 * and at the receiver before anything is stored. First the shape (fields.ts: exact key set, types,
 * enums, bounds), then what depends on the kind and on the agreement (rules.ts), then the attached
 * STIX objects (stix.ts). The first problem found is thrown, naming its field.
 */
import { Value } from 'typebox/value';
import type { AgreementDocument } from '../../pact/index.js';
import { type HotlineMessage, MESSAGE_KINDS, MESSAGE_SCHEMA_V1 } from '../types.js';
import { HOTLINE_UNKNOWN_KIND, quote, refuse } from './errors.js';
import { type FieldDef, MESSAGE_FIELDS } from './fields.js';
import { checkRules } from './rules.js';
import { checkStix } from './stix.js';

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Validates `value` as a `parley/hotline/1` message under `agreement` and returns it typed.
 * Throws ParleyError `hotline.invalid_message` (400, details.field), `hotline.unknown_kind` or
 * `hotline.channel_not_enabled`.
 *
 *   const msg = checkMessage(JSON.parse(body), agreement);
 */
export function checkMessage(value: unknown, agreement: AgreementDocument): HotlineMessage {
  if (!isRecord(value)) throw refuse('message', 'is not a JSON object');
  if (Object.hasOwn(value, 'kind') && !(MESSAGE_KINDS as readonly unknown[]).includes(value.kind))
    throw refuse(
      'kind',
      `${quote(value.kind)} is unknown (known kinds: ${MESSAGE_KINDS.join(', ')})`,
      HOTLINE_UNKNOWN_KIND,
    );
  checkShape(value, MESSAGE_FIELDS, '');
  const msg = value as unknown as HotlineMessage;
  checkRules(msg, agreement);
  checkStix(msg.stix);
  return msg;
}

function checkShape(v: Record<string, unknown>, fields: Record<string, FieldDef>, prefix: string): void {
  const name = (k: string) => (prefix ? `${prefix}.${k}` : k);
  for (const [k, f] of Object.entries(fields))
    if (!f.optional && !Object.hasOwn(v, k)) throw refuse(name(k), 'is missing');
  for (const k of Object.keys(v))
    if (!Object.hasOwn(fields, k))
      throw refuse(name(k), `is not a field of ${prefix || MESSAGE_SCHEMA_V1} (unknown field)`);
  for (const [k, f] of Object.entries(fields)) {
    if (!Object.hasOwn(v, k)) continue;
    const x = v[k];
    if (f.fields && isRecord(x)) {
      checkShape(x, f.fields, name(k));
      continue;
    }
    if (!Value.Check(f.schema, x)) {
      const first = Value.Errors(f.schema, x)[0];
      const at = first?.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : '';
      throw refuse(name(k), `${f.why}${at ? ` (at item ${at}: ${quote(pick(x, at))})` : ''}`, undefined, {
        ...(at ? { path: at } : {}),
      });
    }
  }
}

/** The value at a dotted path inside arrays and objects, for the error message. */
function pick(x: unknown, path: string): unknown {
  let cur: unknown = x;
  for (const p of path.split('.')) cur = isRecord(cur) || Array.isArray(cur) ? (cur as never)[p] : undefined;
  return cur;
}
