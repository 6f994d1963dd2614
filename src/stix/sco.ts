/**
 * The 18 STIX Cyber-observable Objects of STIX 2.1 section 6, mirroring schemas/observables/*.json.
 * `*_ref(s)` properties of SCOs are plain strings in the OASIS schemas; we keep them so.
 */
import { type Static, type TSchema, Type } from 'typebox';
import {
  DICTIONARY,
  Dictionary,
  Hashes,
  Hex,
  OBJECT_RULES,
  objectRules,
  rule,
  StringEnum,
  scoCommon,
  Timestamp,
} from './common.js';
import {
  FILE_EXTENSIONS,
  NETWORK_TRAFFIC_EXTENSIONS,
  PROCESS_EXTENSIONS,
  USER_ACCOUNT_EXTENSIONS,
} from './sco-extensions.js';
import { CPE_RE, IPV4_RE, IPV6_RE, LANGUAGE_TAG_RE } from './sco-patterns.js';

const Str = () => Type.Optional(Type.String());
const Refs = () => Type.Optional(Type.Array(Type.String(), { minItems: 1 }));
const Ts = () => Type.Optional(Timestamp);
const anyRequired = (code: string, ...names: string[]) => ({
  anyOf: names.map((n) => ({ required: [n] })),
  ...rule(code),
});
const ext = <T>(schema: Record<string, unknown>) => Type.Optional(Type.Unsafe<T>(schema));
type ExtDict = Record<string, Record<string, unknown>>;

/** Section 6.1: payload_bin or url (with hashes), never both; decryption_key needs an algorithm. */
export const Artifact = Type.Object(
  {
    ...scoCommon('artifact'),
    mime_type: Type.Optional(
      Type.String({
        pattern: '^(application|audio|font|image|message|model|multipart|text|video)/[a-zA-Z0-9.+_-]+',
      }),
    ),
    payload_bin: Type.Optional(Type.String({ format: 'stix-binary' })),
    url: Type.Optional(Type.String({ format: 'uri' })),
    hashes: Type.Optional(Hashes),
    encryption_algorithm: Type.Optional(
      StringEnum(['AES-256-GCM', 'ChaCha20-Poly1305', 'mime-type-indicated']),
    ),
    decryption_key: Str(),
  },
  objectRules(
    {
      oneOf: [
        { required: ['payload_bin'], not: { required: ['url'] } },
        { required: ['url', 'hashes'], not: { required: ['payload_bin'] } },
      ],
      ...rule('stix.artifact_payload'),
    },
    {
      oneOf: [
        { required: ['encryption_algorithm'], not: { required: ['decryption_key'] } },
        { required: ['encryption_algorithm', 'decryption_key'] },
        {
          allOf: [{ not: { required: ['encryption_algorithm'] } }, { not: { required: ['decryption_key'] } }],
        },
      ],
      ...rule('stix.artifact_encryption'),
    },
  ),
);

export const AutonomousSystem = Type.Object(
  { ...scoCommon('autonomous-system'), number: Type.Integer(), name: Str(), rir: Str() },
  OBJECT_RULES,
);

const ENC = Type.Optional(Type.String({ pattern: '^[a-zA-Z0-9/\\.+_:-]{2,250}$' }));

export const Directory = Type.Object(
  {
    ...scoCommon('directory'),
    path: Type.String(),
    path_enc: ENC,
    ctime: Ts(),
    mtime: Ts(),
    atime: Ts(),
    contains_refs: Refs(),
  },
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

export const File = Type.Object(
  {
    ...scoCommon('file'),
    extensions: ext<ExtDict>(FILE_EXTENSIONS),
    hashes: Type.Optional(Hashes),
    size: Type.Optional(Type.Integer({ minimum: 0 })),
    name: Str(),
    name_enc: ENC,
    magic_number_hex: Type.Optional(Hex),
    mime_type: Str(),
    ctime: Ts(),
    mtime: Ts(),
    atime: Ts(),
    parent_directory_ref: Str(),
    contains_refs: Refs(),
    content_ref: Str(),
  },
  objectRules(anyRequired('stix.file_hashes_or_name', 'hashes', 'name')),
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

export const Mutex = Type.Object({ ...scoCommon('mutex'), name: Type.String() }, OBJECT_RULES);

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

/** Section 6.13: a process carries at least one property beyond the common ones. */
export const Process = Type.Object(
  {
    ...scoCommon('process'),
    extensions: ext<ExtDict>(PROCESS_EXTENSIONS),
    is_hidden: Type.Optional(Type.Boolean()),
    pid: Type.Optional(Type.Integer()),
    created_time: Ts(),
    cwd: Str(),
    command_line: Str(),
    environment_variables: Type.Optional(Dictionary),
    opened_connection_refs: Refs(),
    creator_user_ref: Str(),
    image_ref: Str(),
    parent_ref: Str(),
    child_refs: Refs(),
  },
  objectRules(
    // The OASIS list still names the 2.0 properties `name`, `created` and `arguments`.
    anyRequired(
      'stix.at_least_one_property',
      'extensions',
      'is_hidden',
      'pid',
      'name',
      'created',
      'cwd',
      'arguments',
      'command_line',
      'environment_variables',
      'opened_connection_refs',
      'creator_user_ref',
      'image_ref',
      'parent_ref',
      'child_refs',
    ),
  ),
);

export const Software = Type.Object(
  {
    ...scoCommon('software'),
    name: Type.String(),
    cpe: Type.Optional(Type.String({ pattern: CPE_RE, ...rule('stix.cpe') })),
    swid: Str(),
    languages: Type.Optional(
      Type.Array(Type.String({ pattern: LANGUAGE_TAG_RE, ...rule('stix.language_tag') }), { minItems: 1 }),
    ),
    vendor: Str(),
    version: Str(),
  },
  OBJECT_RULES,
);

export const Url = Type.Object({ ...scoCommon('url'), value: Type.String({ format: 'uri' }) }, OBJECT_RULES);

const USER_ACCOUNT_PROPS = [
  'extensions',
  'user_id',
  'credential',
  'account_login',
  'account_type',
  'display_name',
  'is_service_account',
  'is_privileged',
  'can_escalate_privs',
  'is_disabled',
  'account_created',
  'account_expires',
  'credential_last_changed',
  'account_first_login',
  'account_last_login',
];

export const UserAccount = Type.Object(
  {
    ...scoCommon('user-account'),
    extensions: ext<ExtDict>(USER_ACCOUNT_EXTENSIONS),
    user_id: Str(),
    credential: Str(),
    account_login: Str(),
    account_type: Str(),
    display_name: Str(),
    is_service_account: Type.Optional(Type.Boolean()),
    is_privileged: Type.Optional(Type.Boolean()),
    can_escalate_privs: Type.Optional(Type.Boolean()),
    is_disabled: Type.Optional(Type.Boolean()),
    account_created: Ts(),
    account_expires: Ts(),
    credential_last_changed: Ts(),
    account_first_login: Ts(),
    account_last_login: Ts(),
  },
  objectRules(anyRequired('stix.at_least_one_property', ...USER_ACCOUNT_PROPS)),
);

const REGISTRY_VALUE = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    data: { type: 'string' },
    data_type: {
      type: 'string',
      enum: [
        'REG_NONE',
        'REG_SZ',
        'REG_EXPAND_SZ',
        'REG_BINARY',
        'REG_DWORD',
        'REG_DWORD_BIG_ENDIAN',
        'REG_DWORD_LITTLE_ENDIAN',
        'REG_LINK',
        'REG_MULTI_SZ',
        'REG_RESOURCE_LIST',
        'REG_FULL_RESOURCE_DESCRIPTION',
        'REG_RESOURCE_REQUIREMENTS_LIST',
        'REG_QWORD',
        'REG_INVALID_TYPE',
      ],
    },
  },
  anyOf: [{ required: ['name'] }, { required: ['data'] }, { required: ['data_type'] }],
  ...rule('stix.registry_value'),
};

export const WindowsRegistryKey = Type.Object(
  {
    ...scoCommon('windows-registry-key'),
    // windows-registry-key.json rejects keys starting with abbreviated hive names (section 6.17).
    key: Type.Optional(
      Type.Unsafe<string>({
        type: 'string',
        not: { pattern: '^HKLM|HKCC|HKCR|HKCU|HKU|hklm|hkcc|hkcr|hkcu|hku' },
        ...rule('stix.registry_key'),
      }),
    ),
    values: Type.Optional(Type.Array(Type.Unsafe<Record<string, string>>(REGISTRY_VALUE))),
    modified_time: Ts(),
    creator_user_ref: Str(),
    number_of_subkeys: Type.Optional(Type.Integer()),
  },
  objectRules(
    anyRequired(
      'stix.at_least_one_property',
      'key',
      'values',
      'modified',
      'creator_user_ref',
      'number_of_subkeys',
    ),
  ),
);

const X509_V3_NAMES = [
  'basic_constraints',
  'name_constraints',
  'policy_constraints',
  'key_usage',
  'extended_key_usage',
  'subject_key_identifier',
  'authority_key_identifier',
  'subject_alternative_name',
  'issuer_alternative_name',
  'subject_directory_attributes',
  'crl_distribution_points',
  'inhibit_any_policy',
  'certificate_policies',
  'policy_mappings',
];
const X509_V3: Record<string, unknown> = {
  type: 'object',
  allOf: [
    {
      properties: {
        ...Object.fromEntries(X509_V3_NAMES.map((n) => [n, { type: 'string' }])),
        private_key_usage_period_not_before: Timestamp,
        private_key_usage_period_not_after: Timestamp,
      },
    },
    anyRequired(
      'stix.at_least_one_property',
      ...X509_V3_NAMES,
      'private_key_usage_period_not_before',
      'private_key_usage_period_not_after',
    ),
  ],
};

export const X509Certificate = Type.Object(
  {
    ...scoCommon('x509-certificate'),
    is_self_signed: Type.Optional(Type.Boolean()),
    hashes: Type.Optional(Hashes),
    version: Str(),
    serial_number: Str(),
    signature_algorithm: Str(),
    issuer: Str(),
    validity_not_before: Ts(),
    validity_not_after: Ts(),
    subject: Str(),
    subject_public_key_algorithm: Str(),
    subject_public_key_modulus: Str(),
    subject_public_key_exponent: Type.Optional(Type.Integer()),
    x509_v3_extensions: ext<Record<string, string>>(X509_V3),
  },
  objectRules(
    anyRequired(
      'stix.at_least_one_property',
      'is_self_signed',
      'hashes',
      'version',
      'serial_number',
      'signature_algorithm',
      'issuer',
      'validity_not_before',
      'validity_not_after',
      'subject',
      'subject_public_key_algorithm',
      'subject_public_key_modulus',
      'subject_public_key_exponent',
      'x509_v3_extensions',
    ),
  ),
);

/** Schemas of the 18 SCO types, by type name (shared: observed-data embeds them). */
export const SCO_SCHEMAS: Record<string, TSchema> = shareAll({
  artifact: Artifact,
  'autonomous-system': AutonomousSystem,
  directory: Directory,
  'domain-name': DomainName,
  'email-addr': EmailAddr,
  'email-message': EmailMessage,
  file: File,
  'ipv4-addr': Ipv4Addr,
  'ipv6-addr': Ipv6Addr,
  'mac-addr': MacAddr,
  mutex: Mutex,
  'network-traffic': NetworkTraffic,
  process: Process,
  software: Software,
  url: Url,
  'user-account': UserAccount,
  'windows-registry-key': WindowsRegistryKey,
  'x509-certificate': X509Certificate,
});

function shareAll(m: Record<string, TSchema>): Record<string, TSchema> {
  return Object.fromEntries(Object.entries(m).map(([t, s]) => [t, { ...s, 'x-shared': `sco-${t}` }]));
}

export type Artifact = Static<typeof Artifact>;
export type AutonomousSystem = Static<typeof AutonomousSystem>;
export type Directory = Static<typeof Directory>;
export type DomainName = Static<typeof DomainName>;
export type EmailAddr = Static<typeof EmailAddr>;
export type EmailMessage = Static<typeof EmailMessage>;
export type File = Static<typeof File>;
export type Ipv4Addr = Static<typeof Ipv4Addr>;
export type Ipv6Addr = Static<typeof Ipv6Addr>;
export type MacAddr = Static<typeof MacAddr>;
export type Mutex = Static<typeof Mutex>;
export type NetworkTraffic = Static<typeof NetworkTraffic>;
export type Process = Static<typeof Process>;
export type Software = Static<typeof Software>;
export type Url = Static<typeof Url>;
export type UserAccount = Static<typeof UserAccount>;
export type WindowsRegistryKey = Static<typeof WindowsRegistryKey>;
export type X509Certificate = Static<typeof X509Certificate>;
