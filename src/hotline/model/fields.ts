/**
 * The fields of a `parley/hotline/1` message, defined once: each with its TypeBox schema (its
 * JSON type, enums, patterns, bounds) and the words an error uses when a value breaks it. The JSON
 * Schema document (`HotlineMessageSchema`, for the API and /openapi.json) and the structural part of
 * `checkMessage` are both built from these tables, so they cannot drift apart. What one field
 * cannot say alone (per-kind rules, the agreement's channels, parties, taxonomy and languages, STIX
 * validity) lives in rules.ts.
 */

import { type TSchema, Type } from 'typebox';
import { NODE_ID as NODE_ID_RE } from '../../crypto/index.js';
import { POC_ID as POC_ID_RE } from '../../directory/index.js';
import { CHANNELS, URGENCIES } from '../../pact/index.js';
import {
  MESSAGE_KINDS,
  MESSAGE_SCHEMA_V1,
  NOTIFICATION_STAGES,
  PAP_LABELS,
  TLP_LABELS,
  TRISTATE,
} from '../types.js';

export interface FieldDef {
  schema: TSchema;
  /** Completes "hotline message: <field> ..." when the value breaks the schema. */
  why: string;
  /** Nested object fields, checked one by one so errors name e.g. `sender.poc`. */
  fields?: Record<string, FieldDef>;
  optional?: boolean;
}

// RFC 9562 textual form, lower case only: ids are compared as strings (idempotency keys).
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
export const MESSAGE_ID = `^msg--${UUID}$`;
export const INCIDENT_ID = `^inc--${UUID}$`;
/** The node id rule of crypto/identity.ts (NODE_ID) and the POC id rule of directory/poc.ts. */
export const NODE_ID = NODE_ID_RE.source;
export const POC_ID = POC_ID_RE.source;
/** BCP 47 (RFC 5646) language, optional script, region and variants, e.g. "en", "zh-Hans-CN". */
export const LANGUAGE_TAG =
  '^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-([a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$';
/** RFC 3339, UTC, milliseconds: what isoMillis (core/clock.ts) writes. */
export const CREATED = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$';
/** STIX 2.1 identifier (section 2.9), as object_refs in a sharing permission. */
export const STIX_ID = `^[a-z][a-z0-9-]*[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$`;
/** Sector codes are slugs (e.g. "energy", "health"), so readers see them in their own language. */
export const SECTOR = '^[a-z0-9][a-z0-9-]{0,63}$';

export const LIMITS = {
  subject: 300,
  description: 20_000,
  stix: 1_000,
  sectors: 32,
  objectRefs: 1_000,
  shareWith: 64,
  recipients: 64,
  /** A year: anything longer is not a hotline request. */
  responseHours: 8_760,
} as const;

const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const nullable = (s: TSchema) => Type.Union([Type.Null(), s]);
const list = (xs: readonly string[]) => xs.join(', ');

export const SENDER_FIELDS: Record<string, FieldDef> = {
  node: { schema: Type.String({ pattern: NODE_ID }), why: 'must be a node id' },
  party: {
    schema: Type.String({ minLength: 1, maxLength: 200 }),
    why: 'must be the party name, 1 to 200 characters',
  },
  poc: {
    schema: Type.String({ pattern: POC_ID }),
    why: 'must be the id of a point of contact of the directory',
  },
};

export const PERMISSION_FIELDS: Record<string, FieldDef> = {
  object_refs: {
    schema: Type.Array(Type.String({ pattern: STIX_ID }), {
      minItems: 1,
      maxItems: LIMITS.objectRefs,
      uniqueItems: true,
    }),
    why: `must list 1 to ${LIMITS.objectRefs} distinct STIX ids`,
  },
  share_with: {
    schema: Type.Array(Type.String({ pattern: NODE_ID }), {
      minItems: 1,
      maxItems: LIMITS.shareWith,
      uniqueItems: true,
    }),
    why: 'must list distinct node ids, or "agreement" for every party',
  },
  tlp: { schema: lit(TLP_LABELS), why: `must be one of ${list(TLP_LABELS)}` },
  granted: { schema: Type.Boolean(), why: 'must be true or false', optional: true },
};

const objectOf = (fields: Record<string, FieldDef>, description: string): TSchema =>
  Type.Object(
    Object.fromEntries(
      Object.entries(fields).map(([k, f]) => [k, f.optional ? Type.Optional(f.schema) : f.schema]),
    ),
    { additionalProperties: false, description },
  );

/** Every field of the message, in the order errors are looked for. */
export const MESSAGE_FIELDS: Record<string, FieldDef> = {
  schema: { schema: Type.Literal(MESSAGE_SCHEMA_V1), why: `must be "${MESSAGE_SCHEMA_V1}"` },
  id: { schema: Type.String({ pattern: MESSAGE_ID }), why: 'must be "msg--" and a lower-case UUID' },
  kind: { schema: lit(MESSAGE_KINDS), why: `must be one of ${list(MESSAGE_KINDS)}` },
  thread: {
    schema: Type.String({ pattern: MESSAGE_ID }),
    why: 'must be the id of the first message of the thread ("msg--" and a UUID)',
  },
  in_reply_to: {
    schema: nullable(Type.String({ pattern: MESSAGE_ID })),
    why: 'must be null or a message id ("msg--" and a UUID)',
  },
  incident: {
    schema: nullable(Type.String({ pattern: INCIDENT_ID })),
    why: 'must be null or an incident id ("inc--" and a lower-case UUID)',
  },
  stage: {
    schema: nullable(lit(NOTIFICATION_STAGES)),
    why: `must be null or one of ${list(NOTIFICATION_STAGES)}`,
  },
  agreement: { schema: Type.String({ pattern: '^agr-[0-9a-f]{64}$' }), why: 'must be an agreement id' },
  channel: { schema: lit(CHANNELS), why: `must be one of ${list(CHANNELS)}` },
  sender: {
    schema: objectOf(SENDER_FIELDS, 'The sending node, its party and its point of contact'),
    why: 'must be { node, party, poc }',
    fields: SENDER_FIELDS,
  },
  recipients: {
    schema: Type.Array(Type.String({ pattern: NODE_ID }), { minItems: 1, maxItems: LIMITS.recipients }),
    why: 'must list at least one recipient node id',
  },
  urgency: { schema: lit(URGENCIES), why: `must be one of ${list(URGENCIES)}` },
  category: {
    schema: nullable(Type.String({ minLength: 1, maxLength: 64 })),
    why: "must be null or a code of the agreement's threat taxonomy",
  },
  rsit: {
    schema: nullable(Type.String({ minLength: 1, maxLength: 64 })),
    why: 'must be null or an RSIT class',
  },
  subject: {
    schema: Type.String({ minLength: 1, maxLength: LIMITS.subject }),
    why: `must be 1 to ${LIMITS.subject} characters`,
  },
  description: {
    schema: Type.String({ maxLength: LIMITS.description }),
    why: `must be a string of at most ${LIMITS.description} characters`,
  },
  affected_sectors: {
    schema: Type.Array(Type.String({ pattern: SECTOR }), { maxItems: LIMITS.sectors, uniqueItems: true }),
    why: `must list at most ${LIMITS.sectors} distinct sector codes such as "energy"`,
  },
  critical_infrastructure: { schema: Type.Boolean(), why: 'must be true or false' },
  suspected_malicious: { schema: lit(TRISTATE), why: `must be one of ${list(TRISTATE)}` },
  cross_border: { schema: lit(TRISTATE), why: `must be one of ${list(TRISTATE)}` },
  requested_response_hours: {
    schema: nullable(Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.responseHours })),
    why: `must be null or a number of hours above 0 and at most ${LIMITS.responseHours}`,
  },
  tlp: { schema: lit(TLP_LABELS), why: `must be one of ${list(TLP_LABELS)}` },
  pap: { schema: lit(PAP_LABELS), why: `must be one of ${list(PAP_LABELS)}` },
  language: { schema: Type.String({ pattern: LANGUAGE_TAG }), why: 'must be a BCP 47 tag such as "en"' },
  stix: {
    schema: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: LIMITS.stix }),
    why: `must list at most ${LIMITS.stix} STIX 2.1 objects`,
  },
  permission: {
    schema: nullable(objectOf(PERMISSION_FIELDS, 'Sharing permission (TLP 2.0), request and grant only')),
    why: 'must be null or { object_refs, share_with, tlp, granted? }',
    fields: PERMISSION_FIELDS,
  },
  exercise: { schema: Type.Boolean(), why: 'must be true or false' },
  created: { schema: Type.String({ pattern: CREATED }), why: 'must be RFC 3339 UTC with milliseconds' },
};

/**
 * JSON Schema (2020-12) of a `parley/hotline/1` message, for the API and /openapi.json. It says
 * what one message looks like on its own; the agreement-dependent rules are checkMessage's.
 */
export const HotlineMessageSchema = Type.Object(
  Object.fromEntries(Object.entries(MESSAGE_FIELDS).map(([k, f]) => [k, f.schema])),
  {
    title: 'parley hotline message',
    description: `A hotline message, schema ${MESSAGE_SCHEMA_V1} (docs/HOTLINE.md)`,
    additionalProperties: false,
  },
);
