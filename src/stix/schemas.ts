/** Every STIX 2.1 object schema, by type, and the families the types belong to. */
import type { TSchema } from 'typebox';
import { CustomSco, CustomSdo } from './custom.js';
import { MarkingDefinition } from './marking.js';
import { ExtensionDefinition, LanguageContent } from './meta.js';
import { SCO_SCHEMAS } from './sco.js';
import {
  AttackPattern,
  Campaign,
  CourseOfAction,
  Grouping,
  Identity,
  Incident,
  Indicator,
  Infrastructure,
  IntrusionSet,
  Location,
  Malware,
  MalwareAnalysis,
  Note,
  ObservedData,
  Opinion,
  Report,
  ThreatActor,
  Tool,
  Vulnerability,
} from './sdo.js';
import { Relationship, Sighting } from './sro.js';

export const SDO_SCHEMAS: Record<string, TSchema> = {
  'attack-pattern': AttackPattern,
  campaign: Campaign,
  'course-of-action': CourseOfAction,
  grouping: Grouping,
  identity: Identity,
  incident: Incident,
  indicator: Indicator,
  infrastructure: Infrastructure,
  'intrusion-set': IntrusionSet,
  location: Location,
  malware: Malware,
  'malware-analysis': MalwareAnalysis,
  note: Note,
  'observed-data': ObservedData,
  opinion: Opinion,
  report: Report,
  'threat-actor': ThreatActor,
  tool: Tool,
  vulnerability: Vulnerability,
};

export const SRO_SCHEMAS: Record<string, TSchema> = { relationship: Relationship, sighting: Sighting };

export const META_SCHEMAS: Record<string, TSchema> = {
  'marking-definition': MarkingDefinition,
  'language-content': LanguageContent,
  'extension-definition': ExtensionDefinition,
};

export const OBJECT_SCHEMAS: Record<string, TSchema> = {
  ...SDO_SCHEMAS,
  ...SRO_SCHEMAS,
  ...SCO_SCHEMAS,
  ...META_SCHEMAS,
};

export const CUSTOM_SCHEMAS = { sdo: CustomSdo, sco: CustomSco };

export type StixFamily = 'sdo' | 'sro' | 'sco' | 'meta' | 'custom';

/** Which family a type belongs to (`custom` for any type STIX 2.1 does not define). */
export function familyOf(type: string): StixFamily {
  if (Object.hasOwn(SDO_SCHEMAS, type)) return 'sdo';
  if (Object.hasOwn(SRO_SCHEMAS, type)) return 'sro';
  if (Object.hasOwn(SCO_SCHEMAS, type)) return 'sco';
  if (Object.hasOwn(META_SCHEMAS, type)) return 'meta';
  return 'custom';
}
