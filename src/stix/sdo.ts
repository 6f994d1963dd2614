/**
 * The 19 STIX Domain Objects of STIX 2.1 section 4, mirroring schemas/sdos/*.json of the OASIS
 * schemas. Open vocabularies (section 10) stay plain strings, as the OASIS schemas leave them; the
 * one closed enumeration among SDO properties is opinion's `opinion`. `description`, which the OASIS
 * schemas do not list, is typed as the string the specification says it is.
 */
import { type Static, Type } from 'typebox';
import {
  KillChainPhase,
  OBJECT_RULES,
  objectRules,
  RefList,
  RefTo,
  rule,
  StringEnum,
  StringList,
  sdoCommon,
  Timestamp,
} from './common.js';

const Description = Type.Optional(Type.String());
const KillChainPhases = Type.Optional(Type.Array(KillChainPhase, { minItems: 1 }));
const Aliases = Type.Optional(StringList);

export const AttackPattern = Type.Object(
  {
    ...sdoCommon('attack-pattern'),
    name: Type.String(),
    description: Description,
    aliases: Aliases,
    kill_chain_phases: KillChainPhases,
  },
  OBJECT_RULES,
);

export const Campaign = Type.Object(
  {
    ...sdoCommon('campaign'),
    name: Type.String(),
    description: Description,
    aliases: Aliases,
    first_seen: Type.Optional(Timestamp),
    last_seen: Type.Optional(Timestamp),
    objective: Type.Optional(Type.String()),
  },
  OBJECT_RULES,
);

export const CourseOfAction = Type.Object(
  { ...sdoCommon('course-of-action'), name: Type.String(), description: Description },
  OBJECT_RULES,
);

export const Grouping = Type.Object(
  {
    ...sdoCommon('grouping'),
    name: Type.Optional(Type.String()),
    description: Description,
    context: Type.String(),
    object_refs: RefList(),
  },
  OBJECT_RULES,
);

export const Identity = Type.Object(
  {
    ...sdoCommon('identity'),
    name: Type.String(),
    description: Description,
    roles: Type.Optional(StringList),
    identity_class: Type.Optional(Type.String()),
    sectors: Type.Optional(StringList),
    contact_information: Type.Optional(Type.String()),
  },
  OBJECT_RULES,
);

export const Incident = Type.Object(
  {
    ...sdoCommon('incident'),
    name: Type.String(),
    description: Description,
    kill_chain_phases: KillChainPhases,
  },
  OBJECT_RULES,
);

export const Indicator = Type.Object(
  {
    ...sdoCommon('indicator'),
    name: Type.Optional(Type.String()),
    description: Description,
    indicator_types: Type.Optional(StringList),
    pattern: Type.String(),
    pattern_type: Type.String(),
    pattern_version: Type.Optional(Type.String()),
    valid_from: Timestamp,
    valid_until: Type.Optional(Timestamp),
    kill_chain_phases: KillChainPhases,
  },
  OBJECT_RULES,
);

export const Infrastructure = Type.Object(
  {
    ...sdoCommon('infrastructure'),
    name: Type.String(),
    description: Description,
    infrastructure_types: Type.Optional(StringList),
    aliases: Aliases,
    kill_chain_phases: KillChainPhases,
    first_seen: Type.Optional(Timestamp),
    last_seen: Type.Optional(Timestamp),
  },
  OBJECT_RULES,
);

export const IntrusionSet = Type.Object(
  {
    ...sdoCommon('intrusion-set'),
    name: Type.String(),
    description: Description,
    aliases: Aliases,
    first_seen: Type.Optional(Timestamp),
    last_seen: Type.Optional(Timestamp),
    goals: Type.Optional(StringList),
    resource_level: Type.Optional(Type.String()),
    primary_motivation: Type.Optional(Type.String()),
    secondary_motivations: Type.Optional(StringList),
  },
  OBJECT_RULES,
);

/** Section 4.10: a location names a region, a country, or a latitude/longitude pair. */
export const Location = Type.Object(
  {
    ...sdoCommon('location'),
    name: Type.Optional(Type.String()),
    description: Description,
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    precision: Type.Optional(Type.Number()),
    region: Type.Optional(Type.String()),
    country: Type.Optional(Type.String()),
    administrative_area: Type.Optional(Type.String()),
    city: Type.Optional(Type.String()),
    street_address: Type.Optional(Type.String()),
    postal_code: Type.Optional(Type.String()),
  },
  objectRules(
    {
      anyOf: [{ required: ['region'] }, { required: ['country'] }, { required: ['latitude', 'longitude'] }],
      ...rule('stix.location_required'),
    },
    {
      oneOf: [
        { required: ['latitude', 'longitude'] },
        { allOf: [{ not: { required: ['latitude'] } }, { not: { required: ['longitude'] } }] },
      ],
      ...rule('stix.location_coordinates'),
    },
    {
      oneOf: [{ required: ['precision', 'latitude', 'longitude'] }, { not: { required: ['precision'] } }],
      ...rule('stix.location_precision'),
    },
  ),
);

/** Section 4.11: a malware family must have a name. */
export const Malware = Type.Object(
  {
    ...sdoCommon('malware'),
    name: Type.Optional(Type.String()),
    description: Description,
    malware_types: Type.Optional(StringList),
    is_family: Type.Boolean(),
    aliases: Aliases,
    kill_chain_phases: KillChainPhases,
    first_seen: Type.Optional(Timestamp),
    last_seen: Type.Optional(Timestamp),
    operating_system_refs: Type.Optional(RefList(RefTo('software'))),
    architecture_execution_envs: Type.Optional(StringList),
    implementation_languages: Type.Optional(StringList),
    capabilities: Type.Optional(StringList),
    sample_refs: Type.Optional(StringList),
  },
  objectRules({
    oneOf: [
      { properties: { is_family: { type: 'boolean', enum: [false] } } },
      { properties: { is_family: { type: 'boolean', enum: [true] } }, required: ['name'] },
    ],
    ...rule('stix.malware_family_name'),
  }),
);

export const MalwareAnalysis = Type.Object(
  {
    ...sdoCommon('malware-analysis'),
    product: Type.String(),
    version: Type.Optional(Type.String()),
    host_vm_ref: Type.Optional(RefTo('software')),
    operating_system_ref: Type.Optional(RefTo('software')),
    installed_software_refs: Type.Optional(RefList(RefTo('software'))),
    configuration_version: Type.Optional(Type.String()),
    modules: Type.Optional(StringList),
    analysis_engine_version: Type.Optional(Type.String()),
    analysis_definition_version: Type.Optional(Type.String()),
    submitted: Type.Optional(Timestamp),
    analysis_started: Type.Optional(Timestamp),
    analysis_ended: Type.Optional(Timestamp),
    result_name: Type.Optional(Type.String()),
    result: Type.Optional(Type.String()),
    analysis_sco_refs: Type.Optional(RefList()),
    sample_ref: Type.Optional(RefTo('artifact', 'file', 'network-traffic')),
  },
  objectRules({
    anyOf: [{ required: ['result'] }, { required: ['analysis_sco_refs'] }],
    ...rule('stix.malware_analysis_result'),
  }),
);

export const Note = Type.Object(
  {
    ...sdoCommon('note'),
    abstract: Type.Optional(Type.String()),
    content: Type.String(),
    authors: Type.Optional(StringList),
    object_refs: RefList(),
  },
  OBJECT_RULES,
);

export { ObservedData } from './observed-data.js';

export const Opinion = Type.Object(
  {
    ...sdoCommon('opinion'),
    explanation: Type.Optional(Type.String()),
    authors: Type.Optional(StringList),
    opinion: StringEnum(['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree']),
    object_refs: RefList(),
  },
  OBJECT_RULES,
);

export const Report = Type.Object(
  {
    ...sdoCommon('report'),
    name: Type.String(),
    description: Description,
    report_types: Type.Optional(StringList),
    published: Timestamp,
    object_refs: RefList(),
  },
  OBJECT_RULES,
);

export const ThreatActor = Type.Object(
  {
    ...sdoCommon('threat-actor'),
    name: Type.String(),
    description: Description,
    threat_actor_types: Type.Optional(StringList),
    aliases: Aliases,
    first_seen: Type.Optional(Timestamp),
    last_seen: Type.Optional(Timestamp),
    roles: Type.Optional(StringList),
    goals: Type.Optional(StringList),
    sophistication: Type.Optional(Type.String()),
    resource_level: Type.Optional(Type.String()),
    primary_motivation: Type.Optional(Type.String()),
    secondary_motivations: Type.Optional(StringList),
    personal_motivations: Type.Optional(StringList),
  },
  OBJECT_RULES,
);

export const Tool = Type.Object(
  {
    ...sdoCommon('tool'),
    name: Type.String(),
    description: Description,
    tool_types: Type.Optional(StringList),
    aliases: Aliases,
    kill_chain_phases: KillChainPhases,
    tool_version: Type.Optional(Type.String()),
  },
  OBJECT_RULES,
);

export const Vulnerability = Type.Object(
  { ...sdoCommon('vulnerability'), name: Type.String(), description: Description },
  OBJECT_RULES,
);

export type AttackPattern = Static<typeof AttackPattern>;
export type Campaign = Static<typeof Campaign>;
export type CourseOfAction = Static<typeof CourseOfAction>;
export type Grouping = Static<typeof Grouping>;
export type Identity = Static<typeof Identity>;
export type Incident = Static<typeof Incident>;
export type Indicator = Static<typeof Indicator>;
export type Infrastructure = Static<typeof Infrastructure>;
export type IntrusionSet = Static<typeof IntrusionSet>;
export type Location = Static<typeof Location>;
export type Malware = Static<typeof Malware>;
export type MalwareAnalysis = Static<typeof MalwareAnalysis>;
export type Note = Static<typeof Note>;
export type Opinion = Static<typeof Opinion>;
export type Report = Static<typeof Report>;
export type ThreatActor = Static<typeof ThreatActor>;
export type Tool = Static<typeof Tool>;
export type Vulnerability = Static<typeof Vulnerability>;
