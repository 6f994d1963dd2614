/**
 * marking-definition (STIX 2.1 section 7.2), mirroring common/marking-definition.json: either a
 * statement / custom definition / extension-based marking (TLP 2.0, section 7.2.1.4 and the FIRST
 * TLP 2.0 extension), or one of the four predefined TLP 1.0 objects reproduced exactly (7.2.1.3).
 * Marking definitions are not versioned: no `modified`, and the custom-property rule of core.json
 * does not apply to them.
 */
import { type Static, Type } from 'typebox';
import {
  EXTENSION_DEFINITION_KEY,
  EXTENSION_INSTANCE,
  ExternalReference,
  GranularMarkings,
  Identifier,
  RefTo,
  rule,
  SpecVersion,
  Timestamp,
} from './common.js';

const tlp1 = (id: string, name: string, tlp: string) => ({
  properties: {
    id: { type: 'string', enum: [id] },
    name: { type: 'string', enum: [name] },
    definition: { type: 'object', properties: { tlp: { type: 'string', enum: [tlp] } } },
  },
});

const MARKING_FORMS = {
  oneOf: [
    {
      properties: { id: { type: 'string', format: 'stix-identifier', pattern: '^marking-definition--' } },
      oneOf: [
        {
          properties: {
            definition_type: { type: 'string', pattern: '^statement$' },
            definition: {
              type: 'object',
              properties: { statement: { type: 'string' } },
              required: ['statement'],
            },
          },
          required: ['definition_type', 'definition'],
        },
        {
          properties: {
            // As published: rejects types starting with "statement" or ending with "tlp".
            definition_type: { type: 'string', not: { pattern: '^(statement)|(tlp)$' } },
            definition: { type: 'object' },
          },
        },
      ],
      if: { not: { required: ['extensions'] } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema if/then keyword
      then: { required: ['definition', 'definition_type'] },
      required: ['id', 'type', 'spec_version', 'created'],
    },
    {
      properties: {
        type: { type: 'string', enum: ['marking-definition'] },
        id: { type: 'string' },
        spec_version: { type: 'string', enum: ['2.1'] },
        name: { type: 'string' },
        created: { type: 'string', enum: ['2017-01-20T00:00:00.000Z'] },
        definition: { type: 'object' },
        definition_type: { type: 'string', enum: ['tlp'] },
      },
      oneOf: [
        tlp1('marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'TLP:WHITE', 'white'),
        tlp1('marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'TLP:GREEN', 'green'),
        tlp1('marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'TLP:AMBER', 'amber'),
        tlp1('marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'TLP:RED', 'red'),
      ],
      required: ['id', 'type', 'spec_version', 'created', 'name', 'definition', 'definition_type'],
      additionalProperties: false,
    },
  ],
  ...rule('stix.marking_definition'),
};

export const MarkingDefinition = Type.Object(
  {
    type: Type.Literal('marking-definition'),
    spec_version: SpecVersion,
    id: Identifier,
    name: Type.Optional(Type.String()),
    created_by_ref: Type.Optional(Identifier),
    created: Timestamp,
    external_references: Type.Optional(Type.Array(ExternalReference, { minItems: 1 })),
    object_marking_refs: Type.Optional(Type.Array(RefTo('marking-definition'), { minItems: 1 })),
    granular_markings: Type.Optional(GranularMarkings),
    extensions: Type.Optional(
      Type.Unsafe<Record<string, Record<string, unknown>>>({
        type: 'object',
        minProperties: 1,
        patternProperties: { [EXTENSION_DEFINITION_KEY]: EXTENSION_INSTANCE },
        additionalProperties: false,
        ...rule('stix.extension'),
      }),
    ),
    definition_type: Type.Optional(Type.String()),
    definition: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { allOf: [MARKING_FORMS] },
);
export type MarkingDefinition = Static<typeof MarkingDefinition>;
