/**
 * One indicator as the index keeps it: the few fields a lookup answers with (not the whole object,
 * so a million fit in memory), and the keys its pattern is filed under, derived from
 * `extractIndexable` (src/stix/pattern).
 */

import { type TlpLevel, tlpOf } from '../stix/index.js';
import {
  extractIndexable,
  type IndexableComparison,
  type PathStep,
  type PatternNode,
  parsePattern,
} from '../stix/pattern/index.js';
import { hashKey, normaliseValue } from './normalise.js';
import { type Block, parseBlock } from './prefix-index.js';

export interface IndicatorEntry {
  readonly id: string;
  readonly modified: string;
  readonly collection: string;
  readonly name?: string;
  readonly pattern: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly validFromMs: number;
  readonly validUntilMs: number;
  readonly confidence?: number;
  readonly tlp?: TlpLevel;
  /** created_by_ref, when the indicator names its creator. */
  readonly createdBy?: string;
  /** When an index hit is the whole answer; otherwise the evaluator confirms it. */
  readonly covered: boolean;
  /** The parsed pattern, kept only when the evaluator may need it (not covered). */
  readonly ast?: PatternNode;
}

/** A key of the exact-value tables: `type` NUL `property` (normalised), and the value. */
export interface ExactKey {
  field: string;
  value: string;
}

/** A key of the CIDR tables (ISSUBSET). */
export interface RangeKey {
  field: string;
  block: Block;
}

export interface CompiledIndicator {
  entry: IndicatorEntry;
  exact: ExactKey[];
  ranges: RangeKey[];
  /** No key can stand for the pattern: the evaluator runs it on every lookup. */
  residual: boolean;
}

/** type -> property -> field name; bounded, see fieldOf. */
const FIELDS = new Map<string, Map<string, string>>();
let fieldCount = 0;

/**
 * The field name of a (type, property) pair, one string object per pair (up to a bound): a lookup's
 * probe then meets the index's table key by identity, and typing a value builds no string for it.
 */
export function fieldOf(type: string, property: string): string {
  const byProperty = FIELDS.get(type);
  const known = byProperty?.get(property);
  if (known !== undefined) return known;
  const text = `${type}\u0000${property}`;
  // Property names come from patterns and looked-up bundles: keep the common ones only.
  if (fieldCount < 4096) {
    // Flattened once here, so that hashing and comparing it later reads one sequential string.
    const flat = JSON.parse(JSON.stringify(text)) as string;
    if (byProperty) byProperty.set(property, flat);
    else FIELDS.set(type, new Map([[property, flat]]));
    fieldCount++;
    return flat;
  }
  return text;
}

/**
 * The path after the object type as a field name: keys joined by '.', a hash algorithm under
 * `hashes` in its normal form (`hashes.SHA256`), or null when the path has list steps (no looked-up
 * value ever reaches such a path, so such a comparison is filed nowhere).
 */
export function propertyKey(steps: readonly PathStep[]): string | null {
  const parts: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.kind !== 'key') return null;
    parts.push(i > 0 && parts[i - 1] === 'hashes' ? hashKey(s.key) : s.key);
  }
  return parts.join('.');
}

/** Keeps one copy of strings that repeat across a million entries (collection ids, creators). */
export type Intern = (s: string) => string;

const timeMs = (t: unknown, dflt: number): number => {
  if (typeof t !== 'string') return dflt;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? dflt : ms;
};

/**
 * Files an indicator (a parsed STIX object) under its keys; null when it is no STIX-patterned
 * indicator or its pattern does not parse (the STIX core validated it, so that is rare).
 */
export function compileIndicator(
  obj: Record<string, unknown>,
  collection: string,
  intern: Intern = (s) => s,
): CompiledIndicator | null {
  if (obj.type !== 'indicator' || obj.pattern_type !== 'stix' || typeof obj.pattern !== 'string') return null;
  let ast: PatternNode;
  try {
    ast = parsePattern(obj.pattern);
  } catch {
    return null;
  }
  const ix = extractIndexable(ast);
  const exact: ExactKey[] = [];
  const ranges: RangeKey[] = [];
  let residual = false;
  for (const o of ix.observations) {
    if (o.comparisons === null) residual = true;
    else for (const c of o.comparisons) if (!fileComparison(c, exact, ranges)) residual = true;
  }
  const covered = ix.fullyCovered && !residual;
  dedupe(exact, (k) => `${k.field}\u0000${k.value}`);
  dedupe(ranges, (k) => `${k.field}\u0000${k.block.family}:${k.block.addr}/${k.block.prefix}`);
  const entry: IndicatorEntry = {
    id: obj.id as string,
    modified: (obj.modified as string) ?? '',
    collection: intern(collection),
    name: typeof obj.name === 'string' ? obj.name : undefined,
    pattern: obj.pattern,
    validFrom: obj.valid_from as string,
    validUntil: typeof obj.valid_until === 'string' ? obj.valid_until : undefined,
    validFromMs: timeMs(obj.valid_from, Number.NEGATIVE_INFINITY),
    validUntilMs: timeMs(obj.valid_until, Number.POSITIVE_INFINITY),
    confidence: typeof obj.confidence === 'number' ? obj.confidence : undefined,
    tlp: tlpOf(obj),
    createdBy: typeof obj.created_by_ref === 'string' ? intern(obj.created_by_ref) : undefined,
    covered,
    ast: covered ? undefined : ast,
  };
  return { entry, exact, ranges, residual };
}

/**
 * Adds the keys of one comparison; false when it cannot be filed faithfully (a literal that is not
 * a string: the evaluator's coercions, e.g. h'..' against a string property, are left to it).
 */
function fileComparison(c: IndexableComparison, exact: ExactKey[], ranges: RangeKey[]): boolean {
  const property = propertyKey(c.path);
  if (property === null) return true;
  const field = fieldOf(c.objectType, property);
  for (const lit of c.values) {
    if (lit.type !== 'string') return false;
    if (c.op === 'ISSUBSET') {
      // A literal that is no block is never a superset of anything: nothing to file.
      const block = parseBlock(lit.value);
      if (block) ranges.push({ field, block });
    } else {
      exact.push({ field, value: normaliseValue(c.objectType, property, lit.value) });
    }
  }
  return true;
}

/** The same key twice in one pattern (`IN ('a', 'a')`, repeated ORs) is filed once. */
function dedupe<K>(keys: K[], text: (k: K) => string): void {
  if (keys.length < 2) return;
  const seen = new Set<string>();
  let j = 0;
  for (const k of keys) {
    const t = text(k);
    if (seen.has(t)) continue;
    seen.add(t);
    keys[j++] = k;
  }
  keys.length = j;
}
