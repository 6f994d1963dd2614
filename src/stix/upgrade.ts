/**
 * STIX 2.0 to 2.1 upgrade on import. What changes and what does not is documented, property by
 * property, in docs/STIX-2.0-UPGRADE.md; keep the two in step.
 */
import { toMillisPrecision } from './timestamp.js';
import { TLP_MARKINGS, tlpMarkingDefinitions } from './tlp.js';

type Obj = Record<string, unknown>;

/** STIX 2.1 section 10 vocabularies that 2.0 `labels` fed (2.0 sections 6.x `labels`). */
const LABEL_VOCABULARIES: Record<string, { property: string; values: ReadonlySet<string> }> = {
  malware: {
    property: 'malware_types',
    values: new Set([
      'adware',
      'backdoor',
      'bot',
      'bootkit',
      'ddos',
      'downloader',
      'dropper',
      'exploit-kit',
      'keylogger',
      'ransomware',
      'remote-access-trojan',
      'resource-exploitation',
      'rogue-security-software',
      'rootkit',
      'screen-capture',
      'spyware',
      'trojan',
      'unknown',
      'virus',
      'webshell',
      'wiper',
      'worm',
    ]),
  },
  tool: {
    property: 'tool_types',
    values: new Set([
      'denial-of-service',
      'exploitation',
      'information-gathering',
      'network-capture',
      'credential-exploitation',
      'remote-access',
      'vulnerability-scanning',
      'unknown',
    ]),
  },
  indicator: {
    property: 'indicator_types',
    values: new Set([
      'anomalous-activity',
      'anonymization',
      'benign',
      'compromised',
      'malicious-activity',
      'attribution',
      'unknown',
    ]),
  },
  report: {
    property: 'report_types',
    values: new Set([
      'attack-pattern',
      'campaign',
      'identity',
      'indicator',
      'intrusion-set',
      'malware',
      'observed-data',
      'threat-actor',
      'threat-report',
      'tool',
      'vulnerability',
    ]),
  },
  'threat-actor': {
    property: 'threat_actor_types',
    values: new Set([
      'activist',
      'competitor',
      'crime-syndicate',
      'criminal',
      'hacker',
      'insider-accidental',
      'insider-disgruntled',
      'nation-state',
      'sensationalist',
      'spy',
      'terrorist',
      'unknown',
    ]),
  },
};

const TLP_CANONICAL = new Map(tlpMarkingDefinitions().map((m) => [m.id as string, m]));

/** Whether an object looks like STIX 2.0: no spec_version, or "2.0". */
export const isStix20Object = (o: Obj): boolean => o.spec_version === undefined || o.spec_version === '2.0';

/**
 * Returns the STIX 2.1 form of a STIX 2.0 object (a new object; the input is not modified).
 * An object already at 2.1 is returned unchanged. A bundle is upgraded object by object and loses
 * its 2.0-only `spec_version`.
 */
export function upgrade20(input: Obj): Obj {
  if (input.type === 'bundle') {
    const { spec_version: _drop, ...rest } = input;
    return Array.isArray(input.objects)
      ? { ...rest, objects: input.objects.map((o) => (isRecord(o) ? upgrade20(o) : o)) }
      : rest;
  }
  if (input.spec_version === '2.1') return input;
  return tlpCanonical(input) ?? upgradeFields({ ...input, spec_version: '2.1' });
}

/**
 * upgrade20 for an object the caller owns and will not use in its 2.0 form (one just parsed from
 * an input): it is changed in place and returned, which spares a copy of every object of a 2.0
 * feed. The result has the same properties in the same order as upgrade20's. Not for bundles.
 */
export function upgrade20InPlace(input: Obj): Obj {
  if (input.type === 'bundle') return upgrade20(input);
  if (input.spec_version === '2.1') return input;
  const tlp = tlpCanonical(input);
  if (tlp) return tlp;
  input.spec_version = '2.1';
  return upgradeFields(input);
}

/**
 * upgrade20InPlace, and the upgraded object's JSON text, one line. When the upgrade only added
 * properties (what it does to almost every 2.0 object: spec_version, and a vocabulary property,
 * is_family or pattern_type), the text is `raw`, the text the object was parsed from, with those
 * properties written before its closing brace, in the order the upgrade set them (the object's own
 * order): the rest of the text is kept as read, as for a 2.1 input, and not serialised again.
 * Otherwise (a timestamp padded, a spec_version "2.0" replaced, a TLP definition substituted, a
 * text of several lines, a marking definition, whose stored text is compared as it is) the object
 * is stringified. Either way `JSON.parse(json)` is the upgraded object. Not for bundles.
 */
export function upgrade20InPlaceWithText(input: Obj, raw: string): { value: Obj; json: string } {
  const { spec_version: spec, created, modified, type } = input;
  const vocab = vocabularyOf(type);
  const typed = vocab === undefined ? undefined : input[vocab.property];
  const isFamily = input.is_family;
  const patternType = input.pattern_type;
  const value = upgrade20InPlace(input);
  if (
    value !== input ||
    spec !== undefined ||
    value.created !== created ||
    value.modified !== modified ||
    type === 'marking-definition' ||
    !isObjectText(raw) ||
    raw.includes('\n')
  ) {
    return { value, json: JSON.stringify(value) };
  }
  let tail = ',"spec_version":"2.1"';
  if (vocab !== undefined && typed === undefined && value[vocab.property] !== undefined) {
    tail += `,${JSON.stringify(vocab.property)}:${JSON.stringify(value[vocab.property])}`;
  }
  if (isFamily === undefined && value.is_family !== undefined) tail += `,"is_family":${value.is_family}`;
  if (patternType === undefined && value.pattern_type !== undefined) {
    tail += `,"pattern_type":${JSON.stringify(value.pattern_type)}`;
  }
  return { value, json: `${raw.slice(0, -1)}${tail}}` };
}

/** `{`, at least one member, `}`: a text whose closing brace a member can be written before. */
function isObjectText(raw: string): boolean {
  if (raw.charCodeAt(0) !== 123 || raw.charCodeAt(raw.length - 1) !== 125) return false;
  let i = raw.length - 2;
  // JSON whitespace (RFC 8259 section 2) before the closing brace.
  for (let c = raw.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = raw.charCodeAt(--i)) {}
  return i > 0;
}

/** The vocabulary a 2.0 type's labels fed; own entries only (a type may be any text, "constructor" too). */
const vocabularyOf = (type: unknown) =>
  typeof type === 'string' && Object.hasOwn(LABEL_VOCABULARIES, type) ? LABEL_VOCABULARIES[type] : undefined;

/** TLP 1.0 definitions are fixed by STIX 2.1 section 7.2.1.3: a copy of the canonical one. */
function tlpCanonical(input: Obj): Obj | undefined {
  const id = input.id;
  if (
    input.type === 'marking-definition' &&
    typeof id === 'string' &&
    TLP_MARKINGS.get(id)?.version === '1.0'
  ) {
    return { ...(TLP_CANONICAL.get(id) as Obj) };
  }
  return undefined;
}

/** The 2.1 changes besides spec_version, made on `o` (already a copy, or owned by the caller). */
function upgradeFields(o: Obj): Obj {
  // 2.1 section 3.2: created and modified are precise to the millisecond. Not for marking
  // definitions: immutable, and marking-definition.json asks no such precision of them.
  if (typeof o.created === 'string' && o.type !== 'marking-definition')
    o.created = toMillisPrecision(o.created);
  if (typeof o.modified === 'string') o.modified = toMillisPrecision(o.modified);
  const vocab = vocabularyOf(o.type);
  if (vocab && o[vocab.property] === undefined && Array.isArray(o.labels)) {
    const typed = o.labels.filter((l): l is string => typeof l === 'string' && vocab.values.has(l));
    if (typed.length > 0) o[vocab.property] = typed;
  }
  if (o.type === 'malware' && o.is_family === undefined) {
    // 2.0 malware had no is_family; 2.0 content described families (ATT&CK "software" entries,
    // which MITRE's own 2.1 edition marks is_family: true).
    o.is_family = true;
  }
  if (o.type === 'indicator' && o.pattern_type === undefined) o.pattern_type = 'stix'; // 2.0 had only STIX patterns
  return o;
}

const isRecord = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
