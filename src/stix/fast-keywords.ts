/**
 * Keywords only the checking Ajv instance uses (compile.ts): a schema node annotated
 * `x-fast: <name>` has its `oneOf` replaced, for that instance only, by the keyword `<name>`, a
 * function that gives the same yes/no verdict in one pass. The explaining instance keeps the
 * `oneOf`, so a failure is still reported branch by branch. Ajv runs every branch of a oneOf and
 * builds an error object for each one that fails; on reference-heavy content (ATT&CK: 35,000
 * external references) that was the validator's largest single cost.
 */
import type { FuncKeywordDefinition } from 'ajv';

type Obj = Record<string, unknown>;

const CVE_ID = /^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$/;
const CAPEC_ID = /^CAPEC-\d+$/;
const CVE_OR_CAPEC_ID = /^((CVE-\d{4}-(0\d{3}|[1-9]\d{3,}))|(CAPEC-\d+))$/;

/**
 * The oneOf of ExternalReference (common.ts). Its branches exclude each other by source_name
 * (`cve`, `capec`, anything else), so "exactly one passes" is "the branch source_name picks
 * passes". `^cve$` without the m flag matches the text `cve` only; likewise `^capec$`.
 * Presence is tested as Ajv's `required` and `properties` do: `!== undefined`.
 */
export function externalReferenceOneOf(d: Obj): boolean {
  const source = d.source_name;
  if (typeof source !== 'string') return false; // every branch requires a string source_name
  const ext = d.external_id;
  if (source === 'cve') return typeof ext === 'string' && CVE_ID.test(ext);
  if (source === 'capec') return typeof ext === 'string' && CAPEC_ID.test(ext);
  if (ext !== undefined && (typeof ext !== 'string' || CVE_OR_CAPEC_ID.test(ext))) return false;
  return ext !== undefined || d.description !== undefined || d.url !== undefined;
}

const FAST_ONE_OF: Record<string, (d: Obj) => boolean> = {
  stixExternalReferenceOneOf: externalReferenceOneOf,
};

/** The keyword definitions, for the checking instance. */
export const fastKeywords = (): FuncKeywordDefinition[] =>
  Object.entries(FAST_ONE_OF).map(([keyword, test]) => ({
    keyword,
    errors: false,
    // On a non-object every branch passes (properties and required only constrain objects), so
    // the oneOf fails.
    validate: (_schema: unknown, data: unknown) =>
      !!data && typeof data === 'object' && !Array.isArray(data) && test(data as Obj),
  }));

/** The schema as the checking instance sees it: `x-fast` nodes swap their oneOf for the keyword. */
export function forChecking(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forChecking);
  if (!node || typeof node !== 'object') return node;
  const fast = (node as Obj)['x-fast'];
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (typeof fast === 'string' && k === 'oneOf') continue;
    out[k] = forChecking(v);
  }
  if (typeof fast === 'string') out[fast] = true;
  return out;
}
