/** The static types of STIX 2.1 objects, derived from the TypeBox schemas. */
import type { MarkingDefinition } from './marking.js';
import type { ExtensionDefinition, LanguageContent } from './meta.js';
import type * as Sco from './sco.js';
import type * as Sdo from './sdo.js';
import type { Relationship, Sighting } from './sro.js';

/** Any STIX object: at least a type and an id, plus whatever its type defines. */
export interface StixObject {
  type: string;
  id: string;
  spec_version?: string;
  created?: string;
  modified?: string;
  revoked?: boolean;
  object_marking_refs?: string[];
  [property: string]: unknown;
}

type Custom<T> = T & { [property: string]: unknown };

export type StixSdo = Custom<
  | Sdo.AttackPattern
  | Sdo.Campaign
  | Sdo.CourseOfAction
  | Sdo.Grouping
  | Sdo.Identity
  | Sdo.Incident
  | Sdo.Indicator
  | Sdo.Infrastructure
  | Sdo.IntrusionSet
  | Sdo.Location
  | Sdo.Malware
  | Sdo.MalwareAnalysis
  | Sdo.Note
  | Sdo.ObservedData
  | Sdo.Opinion
  | Sdo.Report
  | Sdo.ThreatActor
  | Sdo.Tool
  | Sdo.Vulnerability
>;
export type StixSro = Custom<Relationship | Sighting>;
export type StixSco = Custom<
  | Sco.Artifact
  | Sco.AutonomousSystem
  | Sco.Directory
  | Sco.DomainName
  | Sco.EmailAddr
  | Sco.EmailMessage
  | Sco.File
  | Sco.Ipv4Addr
  | Sco.Ipv6Addr
  | Sco.MacAddr
  | Sco.Mutex
  | Sco.NetworkTraffic
  | Sco.Process
  | Sco.Software
  | Sco.Url
  | Sco.UserAccount
  | Sco.WindowsRegistryKey
  | Sco.X509Certificate
>;
export type StixMeta = Custom<MarkingDefinition | LanguageContent | ExtensionDefinition>;
