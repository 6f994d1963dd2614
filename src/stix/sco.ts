/**
 * The host and file SCOs of STIX 2.1 section 6 (artifact, directory, file, mutex, process,
 * software, user-account, windows-registry-key, x509-certificate), mirroring
 * schemas/observables/*.json, and the table of all 18 SCO schemas (with sco-net.ts).
 * `*_ref(s)` properties of SCOs are plain strings in the OASIS schemas; we keep them so.
 */
import { type Static, type TSchema, Type } from 'typebox';
import {
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
import { FILE_EXTENSIONS, PROCESS_EXTENSIONS, USER_ACCOUNT_EXTENSIONS } from './sco-extensions.js';
import { anyRequired, type ExtDict, ext, Refs, Str, Ts } from './sco-helpers.js';
import {
  AutonomousSystem,
  DomainName,
  EmailAddr,
  EmailMessage,
  Ipv4Addr,
  Ipv6Addr,
  MacAddr,
  NetworkTraffic,
  Url,
} from './sco-net.js';
import { CPE_RE, LANGUAGE_TAG_RE } from './sco-patterns.js';

export * from './sco-net.js';

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

export const Mutex = Type.Object({ ...scoCommon('mutex'), name: Type.String() }, OBJECT_RULES);

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
export type Directory = Static<typeof Directory>;
export type File = Static<typeof File>;
export type Mutex = Static<typeof Mutex>;
export type Process = Static<typeof Process>;
export type Software = Static<typeof Software>;
export type UserAccount = Static<typeof UserAccount>;
export type WindowsRegistryKey = Static<typeof WindowsRegistryKey>;
export type X509Certificate = Static<typeof X509Certificate>;
