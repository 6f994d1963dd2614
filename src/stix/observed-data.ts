/**
 * observed-data (STIX 2.1 section 4.13), mirroring sdos/observed-data.json: either `object_refs`
 * or the deprecated embedded `objects` dictionary of SCOs, never both.
 */
import { type Static, Type } from 'typebox';
import { objectRules, rule, sdoCommon, Timestamp } from './common.js';
import { CustomSco } from './custom.js';
import { SCO_SCHEMAS } from './sco.js';

const SDO_TYPES =
  'attack-pattern|campaign|course-of-action|grouping|identity|incident|indicator|infrastructure|intrusion-set|location|malware-analysis|malware|note|observed-data|opinion|report|threat-actor|tool|vulnerability';
const SCO_OR_SRO_PREFIX =
  '^(autonomous-system--|directory--|domain-name--|email-addr--|email-message--|file--|ipv4-addr--|ipv6-addr--|mac-addr--|mutex--|network-traffic--|process--|software--|url--|user-account--|windows-registry-key--|x509-certificate--|relationship--|sighting--)';
// Unanchored alternation as published: it excludes more custom type names than the 18 SCO types.
const KNOWN_SCO_TYPES_RE =
  '^artifact|directory|file|mutex|process|software|user-account|windows-registry-key|x509-certificate|autonomous-system|domain-name|email-addr|email-message|ipv4-addr|ipv6-addr|mac-addr|network-traffic|url$';

const EMBEDDED_SCO = {
  type: 'object',
  oneOf: [
    {
      allOf: [CustomSco, { not: { properties: { type: { type: 'string', pattern: KNOWN_SCO_TYPES_RE } } } }],
    },
    ...Object.values(SCO_SCHEMAS),
  ],
  ...rule('stix.embedded_observable'),
};

const ObjectRef = Type.Unsafe<string>({
  type: 'string',
  anyOf: [
    { allOf: [{ type: 'string', format: 'stix-identifier' }, { not: { pattern: `^(${SDO_TYPES})` } }] },
    { pattern: SCO_OR_SRO_PREFIX },
  ],
  ...rule('stix.ref_type'),
});

export const ObservedData = Type.Object(
  {
    ...sdoCommon('observed-data'),
    first_observed: Timestamp,
    last_observed: Timestamp,
    number_observed: Type.Integer({ minimum: 1, maximum: 999999999 }),
    objects: Type.Optional(
      Type.Unsafe<Record<string, Record<string, unknown>>>({
        type: 'object',
        minProperties: 1,
        patternProperties: { '^.*$': EMBEDDED_SCO },
      }),
    ),
    object_refs: Type.Optional(Type.Array(ObjectRef, { minItems: 1 })),
  },
  objectRules({
    oneOf: [{ required: ['objects'] }, { required: ['object_refs'] }],
    ...rule('stix.observed_data_content'),
  }),
);
export type ObservedData = Static<typeof ObservedData>;
