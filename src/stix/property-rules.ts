/**
 * The `stixProperties` Ajv keyword: properties.json of the OASIS schemas (see PROPERTY_RULES in
 * common.ts) as one pass over an object's keys with character tests instead of three regular
 * expressions per key and four loops. Same verdicts:
 *   `^[a-z][a-z0-9_]{0,245}_bin$` -> base64 string; `..._hex$` -> hex string;
 *   `^([a-z][a-z0-9_]{2,249})|id$` -> any value but null or []; no other names.
 */
import type { ErrorObject, FuncKeywordDefinition } from 'ajv';
import { BINARY_RE, HEX_RE } from './common.js';

const isLower = (c: number) => c >= 97 && c <= 122;
const isNameChar = (c: number) => isLower(c) || (c >= 48 && c <= 57) || c === 95;

/** `^[a-z][a-z0-9_]{0,245}<suffix>$` for a 4-character suffix such as `_bin`. */
function suffixed(k: string, suffix: string): boolean {
  const n = k.length;
  if (n < 5 || n > 250 || !k.endsWith(suffix) || !isLower(k.charCodeAt(0))) return false;
  for (let i = 1; i < n - 4; i++) if (!isNameChar(k.charCodeAt(i))) return false;
  return true;
}

/** `^([a-z][a-z0-9_]{2,249})|id$`: unanchored at the end, so 3 leading characters decide. */
const generic = (k: string): boolean =>
  (k.length >= 3 && isLower(k.charCodeAt(0)) && isNameChar(k.charCodeAt(1)) && isNameChar(k.charCodeAt(2))) ||
  k.endsWith('id');

export interface PropertyRuleError {
  key: string;
  rule: string;
  message: string;
}

const NO_ERRORS: readonly PropertyRuleError[] = [];

function add(out: PropertyRuleError[] | undefined, e: PropertyRuleError): PropertyRuleError[] {
  const list = out ?? [];
  list.push(e);
  return list;
}

/**
 * Checks every key of `o`; returns the first failure, or all of them with `all`. Nothing is
 * allocated for an object that passes (most of them).
 */
export function checkPropertyRules(o: Record<string, unknown>, all: boolean): readonly PropertyRuleError[] {
  let out: PropertyRuleError[] | undefined;
  for (const key in o) {
    const v = o[key];
    let matched = false;
    // Both suffixes are `_` and three letters: most keys are ruled out by one character.
    const n = key.length;
    if (n >= 5 && key.charCodeAt(n - 4) === 95) {
      if (suffixed(key, '_bin')) {
        matched = true;
        if (typeof v !== 'string' || !BINARY_RE.test(v))
          out = add(out, { key, rule: 'stix.binary', message: 'must be base64' });
      }
      if (suffixed(key, '_hex')) {
        matched = true;
        if (typeof v !== 'string' || !HEX_RE.test(v))
          out = add(out, { key, rule: 'stix.hex', message: 'must be hex' });
      }
    }
    if (generic(key)) {
      matched = true;
      if (v === null || (Array.isArray(v) && v.length === 0)) {
        out = add(out, { key, rule: 'stix.property_value', message: 'must not be null or an empty list' });
      }
    }
    if (!matched) {
      out = add(out, {
        key,
        rule: 'stix.property_name',
        message: 'property name is not allowed: lower-case a-z, 0-9 and _, 3 to 250 characters (section 3.1)',
      });
    }
    if (out !== undefined && !all) break;
  }
  return out ?? NO_ERRORS;
}

const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/** The Ajv keyword definition; `all` when the instance collects every error. */
export function stixPropertiesKeyword(all: boolean): FuncKeywordDefinition {
  const validate = (
    _schema: unknown,
    data: unknown,
    _parent?: unknown,
    cxt?: { instancePath: string },
  ): boolean => {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return true;
    const found = checkPropertyRules(data as Record<string, unknown>, all);
    if (found.length === 0) return true;
    validate.errors = found.map(
      (f): ErrorObject => ({
        keyword: 'stixProperties',
        instancePath: `${cxt?.instancePath ?? ''}/${escapePointer(f.key)}`,
        schemaPath: '',
        params: { rule: f.rule },
        message: f.message,
      }),
    );
    return false;
  };
  validate.errors = null as ErrorObject[] | null;
  return { keyword: 'stixProperties', validate: validate as FuncKeywordDefinition['validate'], errors: true };
}
