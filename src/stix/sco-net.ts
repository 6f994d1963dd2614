/**
 * The network and messaging SCOs of STIX 2.1 section 6 (autonomous-system, domain-name,
 * email-addr, email-message, ipv4-addr, ipv6-addr, mac-addr, network-traffic, url), mirroring
 * schemas/observables/*.json.
 */
import { type Static, Type } from 'typebox';
import { DICTIONARY, OBJECT_RULES, objectRules, rule, scoCommon } from './common.js';
import { NETWORK_TRAFFIC_EXTENSIONS } from './sco-extensions.js';
import { anyRequired, type ExtDict, ext, Refs, Str, Ts } from './sco-helpers.js';
import { IPV4_RE, IPV6_RE } from './sco-patterns.js';

export const AutonomousSystem = Type.Object(
  { ...scoCommon('autonomous-system'), number: Type.Integer(), name: Str(), rir: Str() },
  OBJECT_RULES,
);

/** The OASIS schema says `format: idn-hostname`, which Ajv's formats do not implement: unchecked. */
export const DomainName = Type.Object(
  { ...scoCommon('domain-name'), value: Type.String(), resolves_to_refs: Refs() },
  OBJECT_RULES,
);

export const EmailAddr = Type.Object(
  {
    ...scoCommon('email-addr'),
    value: Type.String({ format: 'email' }),
    display_name: Str(),
    belongs_to_ref: Str(),
  },
  OBJECT_RULES,
);

const MIME_PART = {
  type: 'object',
  properties: {
    body: { type: 'string' },
    body_raw_ref: { type: 'string' },
    content_type: { type: 'string' },
    content_disposition: { type: 'string' },
  },
  oneOf: [{ required: ['body'] }, { required: ['body_raw_ref'] }],
  ...rule('stix.mime_part'),
};

const EMAIL_HEADERS = {
  allOf: [DICTIONARY],
  not: {
    patternProperties: {
      '^date|received_lines|content_type|from_ref|sender_ref|to_refs|cc_refs|bcc_refs|subject$': {},
    },
    additionalProperties: false,
  },
  patternProperties: {
    '^[a-zA-Z0-9_-]{0,250}$': {
      oneOf: [{ type: 'array', items: { type: 'string' }, minItems: 2 }, { type: 'string' }],
    },
  },
  ...rule('stix.email_header'),
};

/** Section 6.6: a multipart message has body_multipart and no body, and the reverse. */
export const EmailMessage = Type.Object(
  {
    ...scoCommon('email-message'),
    is_multipart: Type.Boolean(),
    date: Ts(),
    content_type: Str(),
    from_ref: Str(),
    sender_ref: Str(),
    to_refs: Refs(),
    cc_refs: Refs(),
    bcc_refs: Refs(),
    message_id: Str(),
    subject: Str(),
    received_lines: Type.Optional(Type.Array(Type.String())),
    additional_header_fields: ext<Record<string, string | string[]>>(EMAIL_HEADERS),
    body: Str(),
    body_multipart: Type.Optional(Type.Array(Type.Unsafe<Record<string, string>>(MIME_PART))),
    raw_email_ref: Str(),
  },
  objectRules({
    oneOf: [
      {
        properties: { is_multipart: { type: 'boolean', enum: [false] }, body: { type: 'string' } },
        required: ['is_multipart'],
        not: { required: ['body_multipart'] },
      },
      {
        properties: { is_multipart: { type: 'boolean', enum: [true] } },
        required: ['is_multipart'],
        not: { required: ['body'] },
      },
    ],
    ...rule('stix.email_multipart'),
  }),
);

export const Ipv4Addr = Type.Object(
  {
    ...scoCommon('ipv4-addr'),
    value: Type.String({ pattern: IPV4_RE, ...rule('stix.ip_address') }),
    resolves_to_refs: Refs(),
    belongs_to_refs: Refs(),
  },
  OBJECT_RULES,
);

export const Ipv6Addr = Type.Object(
  {
    ...scoCommon('ipv6-addr'),
    value: Type.String({ pattern: IPV6_RE, ...rule('stix.ip_address') }),
    resolves_to_refs: Refs(),
    belongs_to_refs: Refs(),
  },
  OBJECT_RULES,
);

export const MacAddr = Type.Object(
  {
    ...scoCommon('mac-addr'),
    value: Type.String({ pattern: '^([0-9a-f]{2}[:]){5}([0-9a-f]{2})$', ...rule('stix.mac_address') }),
  },
  OBJECT_RULES,
);

/** Section 6.12: traffic has a source or a destination; an active flow has no end yet. */
export const NetworkTraffic = Type.Object(
  {
    ...scoCommon('network-traffic'),
    extensions: ext<ExtDict>(NETWORK_TRAFFIC_EXTENSIONS),
    start: Ts(),
    end: Ts(),
    is_active: Type.Optional(Type.Boolean()),
    src_ref: Str(),
    dst_ref: Str(),
    src_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    dst_port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    protocols: Type.Array(Type.String(), { minItems: 1 }),
    src_byte_count: Type.Optional(Type.Integer()),
    dst_byte_count: Type.Optional(Type.Integer()),
    src_packets: Type.Optional(Type.Integer()),
    dst_packets: Type.Optional(Type.Integer()),
    ipfix: ext<Record<string, string | number>>({
      allOf: [DICTIONARY],
      patternProperties: { '^[a-zA-Z0-9_-]{0,250}$': { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
    }),
    src_payload_ref: Str(),
    dst_payload_ref: Str(),
    encapsulates_refs: Refs(),
    encapsulated_by_ref: Str(),
  },
  objectRules(anyRequired('stix.network_traffic_endpoint', 'src_ref', 'dst_ref'), {
    oneOf: [
      { properties: { is_active: { type: 'boolean', enum: [false] } }, required: ['is_active'] },
      {
        properties: { is_active: { type: 'boolean', enum: [true] } },
        required: ['is_active'],
        not: { required: ['end'] },
      },
      { not: { required: ['is_active'] } },
    ],
    ...rule('stix.network_traffic_active'),
  }),
);

export const Url = Type.Object({ ...scoCommon('url'), value: Type.String({ format: 'uri' }) }, OBJECT_RULES);

export type AutonomousSystem = Static<typeof AutonomousSystem>;
export type DomainName = Static<typeof DomainName>;
export type EmailAddr = Static<typeof EmailAddr>;
export type EmailMessage = Static<typeof EmailMessage>;
export type Ipv4Addr = Static<typeof Ipv4Addr>;
export type Ipv6Addr = Static<typeof Ipv6Addr>;
export type MacAddr = Static<typeof MacAddr>;
export type NetworkTraffic = Static<typeof NetworkTraffic>;
export type Url = Static<typeof Url>;
