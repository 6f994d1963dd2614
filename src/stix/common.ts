/**
 * Building blocks shared by every STIX 2.1 object schema: identifiers, timestamps, external
 * references, granular markings, extensions and the rule for custom property names.
 *
 * The schemas mirror the OASIS STIX 2.1 JSON schemas (oasis-open/cti-stix2-json-schemas,
 * schemas/common/*.json) so that our verdicts agree with theirs; the regular expressions below are
 * the ones those schemas publish. Named formats (`stix-timestamp`, `stix-identifier`...) are used
 * instead of bare patterns so that a failure maps onto a stable rule code (see issues.ts).
 */
import { type Static, type TSchema, Type } from 'typebox';

/** STIX 2.1 section 3.2: RFC 3339, UTC, `Z`. The OASIS timestamp.json pattern. */
export const TIMESTAMP_RE =
  /^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?Z$/;
/** created/modified must be precise to the millisecond (section 3.2, core.json `timestamp_millis`). */
export const TIMESTAMP_MILLIS_RE = /T\d{2}:\d{2}:\d{2}\.\d{3,}Z$/;
/** Section 2.9: `type--UUID` (the OASIS identifier.json pattern accepts UUID versions 1 to 5). */
export const IDENTIFIER_RE =
  /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
export const BINARY_RE = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/;
export const HEX_RE = /^([a-fA-F0-9]{2})+$/;
/**
 * Section 3.1 type names. core.json writes this as `^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\-?$`, whose
 * nested quantifier backtracks exponentially on a long near-miss; this form accepts the same set.
 */
export const TYPE_NAME_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$/;

/**
 * Character classes by code unit, one table lookup per character: bit 1 hex digit, bit 2 a-z or
 * 0-9, bit 4 a-z, 0-9 or `-`, bit 8 a-z. Code units past the table (and NaN, past the string's
 * end) are in no class.
 */
const CLS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLS[c] = 1 | 2 | 4;
for (let c = 97; c <= 122; c++) CLS[c] = 2 | 4 | 8;
for (let c = 97; c <= 102; c++) CLS[c] = (CLS[c] as number) | 1;
for (let c = 65; c <= 70; c++) CLS[c] = 1;
CLS[45] = 4;
const has = (c: number, bit: number): boolean => c < 128 && ((CLS[c] as number) & bit) !== 0;

function hexRun(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!has(s.charCodeAt(i), 1)) return false;
  return true;
}

/**
 * IDENTIFIER_RE without its backtracking: the UUID part has a fixed length of 36, so the prefix
 * is whatever precedes the last 38 characters. Profiling showed the regular expression as the
 * validator's single largest cost; this gives the same verdicts (tested against it). The UUID's
 * fixed positions (dashes, version, variant) are tested first, then its hex runs.
 */
export function isIdentifier(s: string): boolean {
  const n = s.length;
  const p = n - 38; // length of the type prefix
  if (p < 3 || s.charCodeAt(p) !== 45 || s.charCodeAt(p + 1) !== 45) return false;
  if (!has(s.charCodeAt(0), 8) || !has(s.charCodeAt(p - 1), 2)) return false;
  for (let i = 1; i < p - 1; i++) if (!has(s.charCodeAt(i), 4)) return false;
  const u = p + 2;
  if (
    s.charCodeAt(u + 8) !== 45 ||
    s.charCodeAt(u + 13) !== 45 ||
    s.charCodeAt(u + 18) !== 45 ||
    s.charCodeAt(u + 23) !== 45
  ) {
    return false;
  }
  const version = s.charCodeAt(u + 14);
  if (version < 49 || version > 53) return false; // 1 to 5
  const variant = s.charCodeAt(u + 19);
  // 8 9 a b A B
  if (
    variant !== 56 &&
    variant !== 57 &&
    variant !== 97 &&
    variant !== 98 &&
    variant !== 65 &&
    variant !== 66
  )
    return false;
  return (
    hexRun(s, u, u + 8) &&
    hexRun(s, u + 9, u + 13) &&
    hexRun(s, u + 15, u + 18) &&
    hexRun(s, u + 20, u + 23) &&
    hexRun(s, u + 24, n)
  );
}

/** Formats registered on our Ajv instances (compile.ts). */
export const STIX_FORMATS: Record<string, RegExp | ((s: string) => boolean)> = {
  'stix-timestamp': TIMESTAMP_RE,
  'stix-identifier': isIdentifier,
  'stix-binary': BINARY_RE,
  'stix-hex': HEX_RE,
  'stix-type-name': TYPE_NAME_RE,
};

/** Annotation read back from Ajv errors (with `verbose`) to name the rule a sub-schema enforces. */
export const rule = (code: string) => ({ 'x-rule': code });

/** Closed string enumerations as `enum` (one check) rather than anyOf of consts. */
export const StringEnum = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const Timestamp = Type.String({ format: 'stix-timestamp' });
/** The OASIS core.json applies both patterns; the second fails with `stix.timestamp_precision`. */
export const TimestampMillis = Type.String({
  format: 'stix-timestamp',
  pattern: TIMESTAMP_MILLIS_RE.source,
  ...rule('stix.timestamp_precision'),
});
export const Identifier = Type.String({ format: 'stix-identifier' });
export const Binary = Type.String({ format: 'stix-binary' });
export const Hex = Type.String({ format: 'stix-hex' });

/** An identifier whose object type is one of `types` (e.g. `where_sighted_refs`). */
export const RefTo = (...types: string[]) =>
  Type.String({ format: 'stix-identifier', pattern: `^(${types.join('|')})--`, ...rule('stix.ref_type') });

/** An identifier whose object type is none of `types`, as `^(a|b)--.+$`. */
export const RefNotTo = (...types: string[]) =>
  Type.Unsafe<string>({
    type: 'string',
    format: 'stix-identifier',
    not: { pattern: `^(${types.join('|')})--.+$` },
    ...rule('stix.ref_type'),
  });

/** A list of at least one string (open vocabularies are not enforced by the OASIS schemas either). */
export const StringList = Type.Array(Type.String(), { minItems: 1 });
export const RefList = (item: TSchema = Identifier) => Type.Array(item, { minItems: 1 });

/** Any JSON value a STIX property may hold: properties.json excludes null and empty lists. */
const AnyValue = {
  'x-shared': 'property-value',
  // Most likely first: the checking validator stops at the first branch that holds.
  anyOf: [
    { type: 'string' },
    { type: 'object' },
    { type: 'boolean' },
    { type: 'array', minItems: 1 },
    { type: 'number' },
  ],
  ...rule('stix.property_value'),
};

/**
 * properties.json: every property name is lower-case ASCII of 3 to 250 characters (the OASIS
 * pattern is unanchored at its end and also admits names ending in `id`), `_bin` properties are
 * base64 and `_hex` properties hex, and no value is null or an empty list. It applies to every
 * property, listed or not, as the OASIS `allOf` does. Spread into an object schema: documents
 * read the JSON Schema form; compile.ts swaps it for one pass over the keys (`stixProperties`,
 * property-rules.ts), which gives the same verdicts at a fraction of the cost of 3 regular
 * expressions per key.
 */
export const PROPERTY_RULES = {
  'x-stix-properties': true,
  patternProperties: {
    '^[a-z][a-z0-9_]{0,245}_bin$': Binary,
    '^[a-z][a-z0-9_]{0,245}_hex$': Hex,
    '^([a-z][a-z0-9_]{2,249})|id$': AnyValue,
  },
  additionalProperties: false,
};

/** core.json forbids these STIX 2.0/1.x-era names outright. */
export const RESERVED_PROPERTIES = {
  not: { anyOf: ['severity', 'action', 'username', 'phone_numbers'].map((p) => ({ required: [p] })) },
  ...rule('stix.reserved_property'),
};

/**
 * Options that every SDO, SRO and SCO object schema carries, plus the object's own cross-property
 * constraints. Each constraint sits in its own `allOf` entry so that its `x-rule` names only it.
 */
export const objectRules = (...constraints: Record<string, unknown>[]) => ({
  ...PROPERTY_RULES,
  allOf: [RESERVED_PROPERTIES, ...constraints],
});
export const OBJECT_RULES = objectRules();

/** dictionary.json: at least one key, keys of [a-zA-Z0-9_-] up to 250 characters, no null values. */
export const DICTIONARY = {
  'x-shared': 'dictionary',
  type: 'object',
  minProperties: 1,
  patternProperties: {
    '^[a-zA-Z0-9_-]{0,250}$': {
      anyOf: [
        { type: 'array', minItems: 1 },
        { type: 'string' },
        { type: 'integer' },
        { type: 'boolean' },
        { type: 'number' },
        { type: 'object' },
      ],
    },
  },
  additionalProperties: false,
  ...rule('stix.dictionary'),
};
export const Dictionary = Type.Unsafe<Record<string, unknown>>(DICTIONARY);

/** hashes-type.json: the algorithms of the hash-algorithm-ov, each with its own length. */
const HASHES = {
  'x-shared': 'hashes',
  type: 'object',
  allOf: [DICTIONARY],
  patternProperties: {
    '^[a-zA-Z0-9_-]{3,250}$': { type: 'string' },
    '^MD5$': { type: 'string', pattern: '^[a-fA-F0-9]{32}$' },
    '^SHA-1$': { type: 'string', pattern: '^[a-fA-F0-9]{40}$' },
    '^SHA-256$': { type: 'string', pattern: '^[a-fA-F0-9]{64}$' },
    '^SHA-512$': { type: 'string', pattern: '^[a-fA-F0-9]{128}$' },
    '^SHA3-256$': { type: 'string', pattern: '^[a-fA-F0-9]{64}$' },
    '^SHA3-512$': { type: 'string', pattern: '^[a-fA-F0-9]{128}$' },
    '^SSDEEP$': { type: 'string', pattern: '^[a-zA-Z0-9/+:.]{1,128}$' },
    '^TLSH$': { type: 'string', pattern: '^[a-zA-Z0-9]{70}$' },
  },
  additionalProperties: false,
  ...rule('stix.hash'),
};
export const Hashes = Type.Unsafe<Record<string, string>>(HASHES);

/** external-reference.json: `cve`/`capec` sources carry a well-formed id; others need one of three. */
export const ExternalReference = Type.Object(
  {
    source_name: Type.String(),
    description: Type.Optional(Type.String()),
    url: Type.Optional(Type.String({ format: 'uri' })),
    hashes: Type.Optional(
      Type.Unsafe<Record<string, string>>({
        allOf: [
          HASHES,
          { propertyNames: { pattern: '^MD5|SHA-1|SHA-256|SHA-512|SHA3-256|SHA3-512|SSDEEP|TLSH$' } },
        ],
      }),
    ),
    external_id: Type.Optional(Type.String()),
  },
  {
    oneOf: [
      {
        properties: {
          source_name: { type: 'string', pattern: '^cve$' },
          external_id: { type: 'string', pattern: '^CVE-\\d{4}-(0\\d{3}|[1-9]\\d{3,})$' },
        },
        required: ['source_name', 'external_id'],
      },
      {
        properties: {
          source_name: { type: 'string', pattern: '^capec$' },
          external_id: { type: 'string', pattern: '^CAPEC-\\d+$' },
        },
        required: ['source_name', 'external_id'],
      },
      {
        properties: {
          source_name: { type: 'string', not: { pattern: '^((cve)|(capec))$' } },
          external_id: {
            type: 'string',
            not: { pattern: '^((CVE-\\d{4}-(0\\d{3}|[1-9]\\d{3,}))|(CAPEC-\\d+))$' },
          },
        },
        required: ['source_name'],
        anyOf: [{ required: ['external_id'] }, { required: ['description'] }, { required: ['url'] }],
      },
    ],
    ...rule('stix.external_reference'),
    'x-shared': 'external-reference',
    // The checking validator decides this oneOf in one function (fast-keywords.ts).
    'x-fast': 'stixExternalReferenceOneOf',
  },
);
export type ExternalReference = Static<typeof ExternalReference>;

export const KillChainPhase = Type.Object(
  { kill_chain_name: Type.String(), phase_name: Type.String() },
  { 'x-shared': 'kill-chain-phase' },
);
export type KillChainPhase = Static<typeof KillChainPhase>;

/** granular-marking.json. Section 7.2.3 selectors. */
export const GranularMarking = Type.Object(
  {
    selectors: Type.Array(
      Type.String({
        pattern: '^([a-z0-9_-]{3,249}(\\.(\\[\\d+\\]|[a-z0-9_-]{1,250}))*|id)$',
        ...rule('stix.selector'),
      }),
      { minItems: 1 },
    ),
    lang: Type.Optional(Type.String()),
    // Section 7.2.3 allows `lang` in place of marking_ref; granular-marking.json requires marking_ref.
    marking_ref: RefTo('marking-definition'),
  },
  { 'x-shared': 'granular-marking' },
);
export type GranularMarking = Static<typeof GranularMarking>;

const EXTENSION_TYPES = [
  'new-sdo',
  'new-sco',
  'new-sro',
  'property-extension',
  'toplevel-property-extension',
];
export const ExtensionTypeEnum = StringEnum(EXTENSION_TYPES);

/** extension.json: an instance of an extension-definition, keyed by that definition's id. */
export const EXTENSION_INSTANCE = {
  'x-shared': 'extension',
  type: 'object',
  minProperties: 1,
  properties: { extension_type: { type: 'string', enum: EXTENSION_TYPES } },
  required: ['extension_type'],
  ...PROPERTY_RULES,
};

export const EXTENSION_DEFINITION_KEY =
  '^extension-definition--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';

/** core.json `extensions`: predefined `*-ext` extensions and extension-definition instances only. */
export const EXTENSIONS = {
  'x-shared': 'extensions',
  type: 'object',
  minProperties: 1,
  patternProperties: {
    '^([a-z][a-z0-9]*)+(-[a-z0-9]+)*\\-ext$': { type: 'object', minProperties: 1, ...PROPERTY_RULES },
    [EXTENSION_DEFINITION_KEY]: EXTENSION_INSTANCE,
  },
  additionalProperties: false,
  ...rule('stix.extension'),
};
export const Extensions = Type.Unsafe<Record<string, Record<string, unknown>>>(EXTENSIONS);

export const SpecVersion = StringEnum(['2.0', '2.1']);
export const ObjectMarkingRefs = Type.Array(Identifier, { minItems: 1 });
export const GranularMarkings = Type.Array(GranularMarking, { minItems: 1 });

/** core.json: the properties every SDO and SRO has (section 3.2). */
export const sdoCommon = <K extends string>(type: K) => ({
  type: Type.Literal(type),
  spec_version: SpecVersion,
  id: Identifier,
  created_by_ref: Type.Optional(Identifier),
  labels: Type.Optional(StringList),
  created: TimestampMillis,
  modified: TimestampMillis,
  revoked: Type.Optional(Type.Boolean()),
  confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  lang: Type.Optional(Type.String()),
  external_references: Type.Optional(Type.Array(ExternalReference, { minItems: 1 })),
  object_marking_refs: Type.Optional(ObjectMarkingRefs),
  granular_markings: Type.Optional(GranularMarkings),
  extensions: Type.Optional(Extensions),
});

/** cyber-observable-core.json: the properties every SCO has (section 6.1). */
export const scoCommon = <K extends string>(type: K) => ({
  type: Type.Literal(type),
  spec_version: Type.Optional(SpecVersion),
  id: Identifier,
  object_marking_refs: Type.Optional(ObjectMarkingRefs),
  granular_markings: Type.Optional(GranularMarkings),
  defanged: Type.Optional(Type.Boolean()),
  extensions: Type.Optional(Extensions),
});

/** Custom properties (section 11.1) ride along on every object. */
export type WithCustom<T> = T & { readonly [property: string]: unknown };
