/** language-content and extension-definition (STIX 2.1 sections 7.1 and 7.3), and the bundle (8). */
import { type Static, Type } from 'typebox';
import {
  Dictionary,
  ExtensionTypeEnum,
  OBJECT_RULES,
  objectRules,
  RefNotTo,
  rule,
  sdoCommon,
  Timestamp,
} from './common.js';

export const LanguageContent = Type.Object(
  {
    ...sdoCommon('language-content'),
    object_ref: RefNotTo('bundle', 'language-content'),
    object_modified: Type.Optional(Timestamp),
    contents: Dictionary,
  },
  OBJECT_RULES,
);

/** Section 7.3: extension_properties only for toplevel-property-extension. */
export const ExtensionDefinition = Type.Object(
  {
    ...sdoCommon('extension-definition'),
    name: Type.String(),
    description: Type.Optional(Type.String()),
    schema: Type.String(),
    version: Type.String(),
    extension_types: Type.Array(ExtensionTypeEnum, { minItems: 1 }),
    extension_properties: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
  },
  objectRules({
    if: {
      not: {
        properties: {
          extension_types: { type: 'array', contains: { const: 'toplevel-property-extension' } },
        },
      },
    },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema if/then keyword
    then: { not: { required: ['extension_properties'] } },
    ...rule('stix.extension_properties'),
  }),
);

/** Section 8: a bundle is a transport wrapper, not a STIX object; objects are checked one by one. */
export const Bundle = Type.Object({
  type: Type.Literal('bundle'),
  id: Type.String({ format: 'stix-identifier', pattern: '^bundle--', ...rule('stix.id_prefix') }),
  objects: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1 })),
});

export type LanguageContent = Static<typeof LanguageContent>;
export type ExtensionDefinition = Static<typeof ExtensionDefinition>;
export type Bundle = Static<typeof Bundle>;
