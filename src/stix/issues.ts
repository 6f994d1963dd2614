/**
 * What validation reports: a list of issues, each naming the object, the JSON pointer of the
 * offending value (RFC 6901, relative to the object) and a stable rule code. Rule codes are part of
 * the public contract (like ParleyError codes): add new ones, never rename.
 */
import type { ErrorObject } from 'ajv';

export interface StixIssue {
  /** The object's id when it has a usable one. */
  id?: string;
  /** Position of the object in a bundle or batch. */
  index?: number;
  /** JSON pointer inside the object, e.g. `/external_references/0/source_name`; '' for the object. */
  path: string;
  /** Stable code, e.g. `stix.required`, `stix.id_prefix`, `stix.modified_before_created`. */
  rule: string;
  message: string;
  /** `warning` for SHOULD-level findings (the object is still accepted). */
  severity: 'error' | 'warning';
}

/** Codes for keywords when no more specific rule annotates the failing sub-schema. */
const KEYWORD_RULES: Record<string, string> = {
  required: 'stix.required',
  type: 'stix.property_type',
  const: 'stix.enum',
  enum: 'stix.enum',
  minItems: 'stix.empty_list',
  minProperties: 'stix.empty_dictionary',
  additionalProperties: 'stix.property_name',
  propertyNames: 'stix.property_name',
  minimum: 'stix.range',
  maximum: 'stix.range',
  minLength: 'stix.length',
  maxLength: 'stix.length',
  pattern: 'stix.pattern',
};

const FORMAT_RULES: Record<string, string> = {
  'stix-timestamp': 'stix.timestamp',
  'stix-identifier': 'stix.identifier',
  'stix-binary': 'stix.binary',
  'stix-hex': 'stix.hex',
  'stix-type-name': 'stix.type_name',
  uri: 'stix.url',
  email: 'stix.email',
};

/** What the mapper needs from the compiler (compile.ts). */
export interface RuleLookup {
  ruleOf(e: ErrorObject): string | undefined;
  isInside(e: ErrorObject, combinator: ErrorObject): boolean;
}

/**
 * Maps Ajv errors of one object onto issues. The rule of an error is, in order: the keyword's own
 * code for `required`, `format` and `type`; else the nearest `x-rule` annotation above the failing
 * keyword; else the keyword's default. Errors inside a failed anyOf/oneOf fold into that one error.
 */
export function mapAjvErrors(
  errors: readonly ErrorObject[],
  id: string | undefined,
  lookup: RuleLookup,
): StixIssue[] {
  const combinators: ErrorObject[] = [];
  for (const e of errors) if (e.keyword === 'anyOf' || e.keyword === 'oneOf') combinators.push(e);
  const out: StixIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (combinators.some((c) => c !== e && lookup.isInside(e, c))) continue;
    let path = e.instancePath;
    const p = e.params as Record<string, unknown>;
    if (e.keyword === 'required') path += `/${escapePointer(String(p.missingProperty))}`;
    else if (e.keyword === 'additionalProperties') path += `/${escapePointer(String(p.additionalProperty))}`;
    const rule = ruleOf(e, lookup);
    const key = `${path}\u0000${rule}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...(id ? { id } : {}), path, rule, message: messageOf(e, path), severity: 'error' });
  }
  // properties.json's "no null, no empty list" repeats what a listed property's own schema says.
  return out.filter(
    (i) => i.rule !== 'stix.property_value' || !out.some((j) => j !== i && j.path === i.path),
  );
}

function ruleOf(e: ErrorObject, lookup: RuleLookup): string {
  if (e.keyword === 'required' || e.keyword === 'type') return KEYWORD_RULES[e.keyword] as string;
  if (e.keyword === 'format') return FORMAT_RULES[String(e.params.format)] ?? 'stix.format';
  if (e.keyword === 'stixProperties') return String(e.params.rule);
  return lookup.ruleOf(e) ?? KEYWORD_RULES[e.keyword] ?? 'stix.constraint';
}

const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

function messageOf(e: ErrorObject, path: string): string {
  const where = path === '' ? 'object' : path;
  if (e.keyword === 'required') return `${where}: required property is missing`;
  if (e.keyword === 'additionalProperties')
    return `${where}: property name is not allowed (STIX 2.1 section 3.1)`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/**
 * An issue not produced by the schema. Two literals rather than a spread of `{ id }`: ingest raises
 * one per object of an input whose marking is defined last (MITRE's), and the spread's slow path
 * showed in its profile. The properties are in the same order either way.
 */
export const issue = (
  rule: string,
  path: string,
  message: string,
  id?: string,
  severity: 'error' | 'warning' = 'error',
): StixIssue => (id ? { id, path, rule, message, severity } : { path, rule, message, severity });
