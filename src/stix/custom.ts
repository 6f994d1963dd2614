/**
 * Custom objects (STIX 2.1 section 11.2), e.g. ATT&CK's `x-mitre-tactic`. The OASIS schemas give
 * them no schema of their own: bundle.json checks an unknown type against `oneOf(core,
 * cyber-observable-core)`, which no object with `created` can pass (it matches both). We therefore
 * classify: an object with `created` or `modified` is a custom SDO/SRO checked against core.json;
 * any other is a custom SCO checked against cyber-observable-core.json.
 */
import { Type } from 'typebox';
import {
  Extensions,
  GranularMarkings,
  Identifier,
  OBJECT_RULES,
  ObjectMarkingRefs,
  rule,
  SpecVersion,
  sdoCommon,
} from './common.js';

/** core.json `type`: 3 to 250 characters of the type-name grammar, never `action`. */
const CustomTypeName = Type.Unsafe<string>({
  type: 'string',
  format: 'stix-type-name',
  minLength: 3,
  maxLength: 250,
  not: { enum: ['action'] },
  ...rule('stix.type_name'),
});

const { type: _type, ...sdoRest } = sdoCommon('x');
export const CustomSdo = Type.Object({ type: CustomTypeName, ...sdoRest }, OBJECT_RULES);

export const CustomSco = Type.Object(
  {
    type: CustomTypeName,
    spec_version: Type.Optional(SpecVersion),
    id: Identifier,
    object_marking_refs: Type.Optional(ObjectMarkingRefs),
    granular_markings: Type.Optional(GranularMarkings),
    defanged: Type.Optional(Type.Boolean()),
    extensions: Type.Optional(Extensions),
  },
  { ...OBJECT_RULES, 'x-shared': 'custom-sco' },
);

/** Whether a custom object is to be read as an SDO/SRO (true) or an SCO (false). */
export const isCustomSdoLike = (o: Record<string, unknown>): boolean => 'created' in o || 'modified' in o;
