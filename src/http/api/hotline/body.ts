/**
 * Request bodies of the hotline API, built from the message JSON Schema (HotlineMessageSchema), so
 * a field means here what it means in a message. Bodies are checked here, field by field, and a
 * failure is a ParleyError naming the field (`hotline.invalid_message`, details.field); the
 * hotline's own checkMessage then applies the per-kind and agreement rules.
 */

import type { FastifySchemaCompiler } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { Value } from 'typebox/value';
import { invalid } from '../../../core/index.js';
import { POC_ID as POC_ID_RE } from '../../../directory/index.js';
import { HOTLINE_INVALID, HotlineMessageSchema, MESSAGE_KINDS } from '../../../hotline/index.js';

const FIELDS = (HotlineMessageSchema as unknown as { properties: Record<string, TSchema> }).properties;
const POC_ID = POC_ID_RE.source;
const from = Type.String({ pattern: POC_ID, description: "this node's point of contact who sends it" });
const pick = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, Type.Optional(FIELDS[k]!)]));

/** Fields a caller may give; the rest (id, sender, created, schema) the node fills in. */
const CONTENT = [
  'channel',
  'urgency',
  'category',
  'rsit',
  'incident',
  'stage',
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
  'exercise',
] as const;

/** Kinds with an endpoint of their own are not sent through POST /messages. */
export const SENDABLE_KINDS = MESSAGE_KINDS.filter((k) => !['response', 'closure', 'ping'].includes(k));

export const SendBody = Type.Object(
  {
    agreement: FIELDS.agreement!,
    kind: Type.Union(SENDABLE_KINDS.map((k) => Type.Literal(k))),
    recipients: Type.Optional(FIELDS.recipients!),
    thread: Type.Optional(FIELDS.thread!),
    in_reply_to: Type.Optional(FIELDS.in_reply_to!),
    ...pick(CONTENT),
    from: Type.Optional(from),
  },
  { additionalProperties: false, description: 'a hotline message to send (defaults: docs/HOTLINE.md)' },
);

export const ReplyBody = Type.Object(
  { ...pick(CONTENT.filter((k) => k !== 'stage')), from: Type.Optional(from) },
  { additionalProperties: false, description: 'a response or closure; subject defaults to the standard one' },
);

export const AckBody = Type.Object(
  { poc: Type.String({ pattern: POC_ID, description: 'the acknowledging point of contact of this node' }) },
  { additionalProperties: false },
);

const pocSelectors = Type.Array(Type.String({ minLength: 1, maxLength: 130 }), { maxItems: 1000 });

export const ScheduleBody = Type.Object(
  {
    every: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660, description: 'days between tests' })),
    pocs: Type.Optional(pocSelectors),
    next: Type.Optional(Type.String({ description: 'RFC 3339 time of the next test' })),
  },
  { additionalProperties: false },
);

export const RunBody = Type.Object(
  {
    pocs: Type.Optional(pocSelectors),
    urgency: Type.Optional(FIELDS.urgency!),
    exercise: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

type Schemaish = TSchema & {
  properties?: Record<string, TSchema>;
  required?: string[];
  anyOf?: TSchema[];
  const?: unknown;
  type?: unknown;
};

/** "must be one of a, b" for a union of literals, else the first rule the value breaks. */
function why(schema: Schemaish, value: unknown): string {
  const consts = (s: Schemaish): unknown[] | undefined =>
    s.anyOf?.every((x) => (x as Schemaish).const !== undefined || (x as Schemaish).type === 'null')
      ? s.anyOf.map((x) => ((x as Schemaish).type === 'null' ? null : (x as Schemaish).const))
      : undefined;
  const options = consts(schema);
  if (options) return `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
  const errors = Value.Errors(schema, value);
  const e = errors.at(-1) ?? errors[0];
  if (!e) return 'is not valid';
  const at = e.instancePath ? ` (at ${e.instancePath.slice(1).replaceAll('/', '.')})` : '';
  return `${e.message}${at}`;
}

/** Checks an object body against `schema`; the first problem names its field. */
export function checkBody(schema: TSchema, body: unknown, what = 'hotline message'): unknown {
  const s = schema as Schemaish;
  const props = s.properties ?? {};
  const fail = (field: string, msg: string) =>
    invalid(HOTLINE_INVALID, `${what}: ${field} ${msg}`, { field });
  if (body === undefined || body === null) {
    if (!s.required?.length) return {};
    throw fail('body', 'is missing: send a JSON object');
  }
  if (typeof body !== 'object' || Array.isArray(body)) throw fail('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  for (const k of s.required ?? []) if (!Object.hasOwn(b, k)) throw fail(k, 'is missing');
  for (const k of Object.keys(b))
    if (!Object.hasOwn(props, k)) throw fail(k, 'is not a field of this request');
  for (const [k, sub] of Object.entries(props)) {
    if (!Object.hasOwn(b, k) || Value.Check(sub, b[k])) continue;
    throw fail(k, why(sub as Schemaish, b[k]));
  }
  return b;
}

/** A route's validatorCompiler: bodies by checkBody, so errors are ParleyErrors naming the field. */
// biome-ignore lint/suspicious/noExplicitAny: Fastify types a route's schemas loosely; this one reads TypeBox schemas.
export const bodyCompiler: FastifySchemaCompiler<any> =
  ({ schema, httpPart }) =>
  (data) => {
    if (httpPart !== 'body') return { value: data };
    try {
      return { value: checkBody(schema as TSchema, data) };
    } catch (e) {
      return { error: e as Error };
    }
  };
