/** The two STIX Relationship Objects of STIX 2.1 section 5, mirroring schemas/sros/*.json. */
import { type Static, Type } from 'typebox';
import { OBJECT_RULES, RefList, RefNotTo, RefTo, rule, sdoCommon, Timestamp } from './common.js';

/** Section 5.1: relationships join SDOs and SCOs, never SROs, bundles or meta objects. */
export const Relationship = Type.Object(
  {
    ...sdoCommon('relationship'),
    relationship_type: Type.String({ pattern: '^[a-z0-9\\-]+$', ...rule('stix.relationship_type') }),
    description: Type.Optional(Type.String()),
    source_ref: RefNotTo('relationship', 'sighting', 'bundle', 'marking-definition', 'language-content'),
    target_ref: RefNotTo('relationship', 'sighting', 'bundle', 'marking-definition', 'language-content'),
    start_time: Type.Optional(Timestamp),
    stop_time: Type.Optional(Timestamp),
  },
  OBJECT_RULES,
);

export const Sighting = Type.Object(
  {
    ...sdoCommon('sighting'),
    description: Type.Optional(Type.String()),
    first_seen: Type.Optional(Timestamp),
    last_seen: Type.Optional(Timestamp),
    count: Type.Optional(Type.Integer({ minimum: 0, maximum: 999999999 })),
    sighting_of_ref: RefNotTo('sighting', 'relationship', 'bundle', 'marking-definition', 'language-content'),
    observed_data_refs: Type.Optional(RefList(RefTo('observed-data'))),
    where_sighted_refs: Type.Optional(RefList(RefTo('identity', 'location'))),
    summary: Type.Optional(Type.Boolean()),
  },
  OBJECT_RULES,
);

export type Relationship = Static<typeof Relationship>;
export type Sighting = Static<typeof Sighting>;
