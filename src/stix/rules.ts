/**
 * Rules of STIX 2.1 that a JSON schema cannot express (or that the OASIS schemas leave out).
 * Each function looks at one aspect of one object and appends issues; validate.ts runs them after
 * the schema, only on objects whose schema check passed, so they may trust the shape.
 */
import { TIMESTAMP_RE } from './common.js';
import { issue, type StixIssue } from './issues.js';
import { deterministicScoId, uuidVersionOf } from './sco-id.js';
import { compareTimestamps, isValidTimestamp } from './timestamp.js';
import { TLP_MARKINGS, TLP_ORDER, TLP2_EXTENSION_ID } from './tlp.js';

type Obj = Record<string, unknown>;

export interface RuleContext {
  /** Resolves a marking-definition id; when absent, marking references are not checked. */
  isKnownMarking?: (id: string) => boolean;
  /** `lenient`: a UUIDv5 SCO id that does not match its properties is only a warning. */
  scoIds?: 'strict' | 'lenient';
  /** Why a STIX pattern is wrong, or undefined; indicator patterns are not parsed without it. */
  checkPattern?: (pattern: string) => string | undefined;
}

/** Section 4.7: an indicator's pattern follows its pattern_type's language (STIX: section 9). */
export function checkIndicatorPattern(
  o: Obj,
  id: string,
  check: (pattern: string) => string | undefined,
  out: StixIssue[],
): void {
  if (o.pattern_type !== 'stix' || typeof o.pattern !== 'string') return;
  const problem = check(o.pattern);
  if (problem !== undefined) out.push(issue('stix.pattern_syntax', '/pattern', `pattern: ${problem}`, id));
}

/** Section 2.9 (and every OASIS per-type schema): the id starts with the object's own type. */
export function checkIdPrefix(o: Obj, out: StixIssue[]): void {
  const { id, type } = o;
  if (typeof id === 'string' && typeof type === 'string' && !id.startsWith(`${type}--`)) {
    out.push(issue('stix.id_prefix', '/id', `id ${id} does not start with "${type}--" (section 2.9)`, id));
  }
}

/** This is a STIX 2.1 validator: 2.0 content is upgraded first (upgrade20). */
export function checkSpecVersion(o: Obj, id: string, out: StixIssue[]): void {
  if (o.spec_version === '2.0') {
    out.push(
      issue('stix.spec_version', '/spec_version', 'spec_version 2.0: upgrade the object to 2.1 first', id),
    );
  }
}

/** Top-level timestamp properties of the STIX 2.1 objects, for the calendar check. */
const TIMESTAMP_PROPERTIES = [
  'created',
  'modified',
  'first_seen',
  'last_seen',
  'valid_from',
  'valid_until',
  'published',
  'first_observed',
  'last_observed',
  'start_time',
  'stop_time',
  'submitted',
  'analysis_started',
  'analysis_ended',
  'object_modified',
  'ctime',
  'mtime',
  'atime',
  'date',
  'start',
  'end',
  'created_time',
  'modified_time',
  'account_created',
  'account_expires',
  'credential_last_changed',
  'account_first_login',
  'account_last_login',
  'validity_not_before',
  'validity_not_after',
];

const TIMESTAMP_PROPERTY_SET: ReadonlySet<string> = new Set(TIMESTAMP_PROPERTIES);

/** Days 01 to 28 exist in every month: only a later day (or no timestamp) needs the full check. */
const mayBeOffCalendar = (v: unknown): v is string =>
  typeof v === 'string' &&
  v.length >= 10 &&
  (v.charCodeAt(8) > 50 || (v.charCodeAt(8) === 50 && v.charCodeAt(9) >= 57));

/** Section 3.2: a timestamp is a real instant (the OASIS pattern admits e.g. 2023-02-30). */
export function checkCalendar(o: Obj, id: string | undefined, out: StixIssue[]): void {
  // One pass over the object's own properties (a dozen or so) finds whether any timestamp
  // property holds a day past the 28th; looking up all 30 names in every object cost more.
  let suspect = false;
  for (const p in o) {
    if (mayBeOffCalendar(o[p]) && TIMESTAMP_PROPERTY_SET.has(p)) {
      suspect = true;
      break;
    }
  }
  if (!suspect) return;
  // In the list's order, as the issues have always been reported.
  for (const p of TIMESTAMP_PROPERTIES) {
    const v = o[p];
    if (mayBeOffCalendar(v) && TIMESTAMP_RE.test(v) && !isValidTimestamp(v)) {
      out.push(issue('stix.timestamp', `/${p}`, `${p} ${v} is not a calendar date`, id));
    }
  }
}

/** Section 3.2: modified MUST be later than or equal to created. */
export function checkModified(o: Obj, id: string, out: StixIssue[]): void {
  const { created, modified } = o;
  if (
    typeof created === 'string' &&
    typeof modified === 'string' &&
    compareTimestamps(modified, created) < 0
  ) {
    out.push(
      issue(
        'stix.modified_before_created',
        '/modified',
        `modified ${modified} is before created ${created}`,
        id,
      ),
    );
  }
}

/** [earlier, later, strict] pairs from sections 4 and 5 ("MUST be greater than (or equal to)"). */
const TIME_ORDER: readonly [string, string, boolean][] = [
  ['first_seen', 'last_seen', false],
  ['first_observed', 'last_observed', false],
  ['valid_from', 'valid_until', true],
  ['start_time', 'stop_time', true],
];

export function checkTimeOrder(o: Obj, id: string, out: StixIssue[]): void {
  for (const [a, b, strict] of TIME_ORDER) {
    const x = o[a];
    const y = o[b];
    if (typeof x !== 'string' || typeof y !== 'string') continue;
    const c = compareTimestamps(y, x);
    if (c < 0 || (strict && c === 0)) {
      out.push(
        issue(
          'stix.time_order',
          `/${b}`,
          `${b} ${y} must be ${strict ? 'after' : 'at or after'} ${a} ${x}`,
          id,
        ),
      );
    }
  }
}

/**
 * Section 3.2: created_by_ref is the id of an identity. A warning, not an error: the OASIS
 * validator's own reference objects carry e.g. `source--...` there and are held valid.
 */
export function checkCreatedBy(o: Obj, id: string, out: StixIssue[]): void {
  const r = o.created_by_ref;
  if (typeof r === 'string' && !r.startsWith('identity--')) {
    out.push(
      issue('stix.ref_type', '/created_by_ref', `created_by_ref ${r} is not an identity`, id, 'warning'),
    );
  }
}

/**
 * Section 2.9: an SCO id SHOULD be the UUIDv5 of its ID-contributing properties. A UUIDv5 id that
 * does not match is an error (it claims a derivation it does not have); a UUIDv4 id where
 * contributing properties exist is a warning, as the specification says SHOULD.
 */
export function checkScoId(o: Obj, id: string, ctx: RuleContext, out: StixIssue[]): void {
  const expected = deterministicScoId(o);
  if (expected === undefined || expected === id) return;
  if (uuidVersionOf(id) === 5 && ctx.scoIds !== 'lenient') {
    out.push(
      issue(
        'stix.sco_id',
        '/id',
        `id ${id} is not the UUIDv5 of its ID-contributing properties (${expected})`,
        id,
      ),
    );
  } else {
    out.push(
      issue(
        'stix.sco_id',
        '/id',
        `id ${id} is not deterministic; section 2.9 suggests ${expected}`,
        id,
        'warning',
      ),
    );
  }
}

/**
 * Section 2.9: SDOs, SROs and meta objects SHOULD use a UUIDv4 (a warning); the well-known TLP
 * ids are v4 too.
 */
export function checkUuidVersion(id: string, out: StixIssue[]): void {
  const version = uuidVersionOf(id);
  if (version !== 4) {
    out.push(
      issue(
        'stix.uuid_version',
        '/id',
        `id ${id} is a UUIDv${String(version)}; section 2.9 says UUIDv4`,
        id,
        'warning',
      ),
    );
  }
}

/** Section 7.2: markings reference marking definitions, which resolve; none marks itself. */
export function checkMarkingRefs(o: Obj, id: string, ctx: RuleContext, out: StixIssue[]): void {
  const refs = o.object_marking_refs;
  if (Array.isArray(refs)) {
    refs.forEach((r, i) => {
      markingRef(o, id, r, `/object_marking_refs/${i}`, ctx, out);
    });
  }
  const gms = o.granular_markings;
  if (Array.isArray(gms)) {
    gms.forEach((g, i) => {
      const gm = g as Obj;
      if (typeof gm.marking_ref === 'string')
        markingRef(o, id, gm.marking_ref, `/granular_markings/${i}/marking_ref`, ctx, out);
      const selectors = gm.selectors;
      if (Array.isArray(selectors)) {
        selectors.forEach((s, j) => {
          if (typeof s === 'string' && !selectorResolves(o, s)) {
            out.push(
              issue(
                'stix.selector_unresolved',
                `/granular_markings/${i}/selectors/${j}`,
                `selector "${s}" selects nothing (section 7.2.3.1)`,
                id,
              ),
            );
          }
        });
      }
    });
  }
}

function markingRef(
  o: Obj,
  id: string,
  ref: unknown,
  path: string,
  ctx: RuleContext,
  out: StixIssue[],
): void {
  if (typeof ref !== 'string') return;
  if (!ref.startsWith('marking-definition--')) {
    out.push(issue('stix.ref_type', path, `${ref} is not a marking definition`, id));
    return;
  }
  if (ref === o.id && o.type === 'marking-definition') {
    out.push(issue('stix.marking_cycle', path, `marking definition ${id} marks itself`, id));
    return;
  }
  if (ctx.isKnownMarking && !TLP_MARKINGS.has(ref) && !ctx.isKnownMarking(ref)) {
    out.push(issue('stix.marking_unresolved', path, `marking definition ${ref} is unknown`, id));
  }
}

/** Section 7.2.3.1: a selector is a path of properties and [index] steps that exists. */
export function selectorResolves(o: Obj, selector: string): boolean {
  let node: unknown = o;
  for (const step of selector.split('.')) {
    if (step.startsWith('[') && step.endsWith(']')) {
      const i = Number(step.slice(1, -1));
      if (!Array.isArray(node) || !(i >= 0 && i < node.length)) return false;
      node = node[i];
    } else {
      if (!node || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, step))
        return false;
      node = (node as Obj)[step];
    }
  }
  return true;
}

/**
 * The nine well-known TLP marking definitions are what their ids say: TLP 1.0 ones carry
 * `definition_type: tlp` with their colour (section 7.2.1.3); TLP 2.0 ones carry the FIRST
 * extension with their level; the TLP 2.0 extension is used only on those five ids.
 */
export function checkTlp(o: Obj, id: string, out: StixIssue[]): void {
  const known = TLP_MARKINGS.get(id);
  const ext = (o.extensions as Obj | undefined)?.[TLP2_EXTENSION_ID] as Obj | undefined;
  if (known?.version === '1.0') {
    const def = o.definition as Obj | undefined;
    if (o.definition_type !== 'tlp' || def?.tlp !== known.label) {
      out.push(
        issue('stix.tlp', '/definition', `${id} is TLP 1.0 ${known.label.toUpperCase()} and must say so`, id),
      );
    }
    return;
  }
  if (known?.version === '2.0') {
    if (!ext || ext.tlp_2_0 !== known.label || o.name !== `TLP:${known.label.toUpperCase()}`) {
      out.push(
        issue(
          'stix.tlp',
          `/extensions/${TLP2_EXTENSION_ID}`,
          `${id} is TLP 2.0 ${known.label.toUpperCase()} and must say so`,
          id,
        ),
      );
    }
  } else if (ext) {
    const level = ext.tlp_2_0;
    const why = TLP_ORDER.includes(level as never)
      ? `a TLP 2.0 marking must use the well-known id for ${String(level)}`
      : `tlp_2_0 must be one of ${TLP_ORDER.join(', ')}`;
    out.push(issue('stix.tlp', `/extensions/${TLP2_EXTENSION_ID}/tlp_2_0`, why, id));
  }
  if (ext && ext.extension_type !== 'property-extension') {
    out.push(
      issue(
        'stix.tlp',
        `/extensions/${TLP2_EXTENSION_ID}/extension_type`,
        'the TLP 2.0 extension is a property-extension',
        id,
      ),
    );
  }
}

/**
 * Section 7.2.2: marking definitions MUST NOT form circular references through their own
 * object_marking_refs or granular markings. Returns the ids of definitions on a cycle.
 */
export function findMarkingCycles(markings: ReadonlyMap<string, Obj>): Set<string> {
  const edges = new Map<string, string[]>();
  for (const [id, m] of markings) {
    const to: string[] = [];
    if (Array.isArray(m.object_marking_refs))
      for (const r of m.object_marking_refs) if (typeof r === 'string') to.push(r);
    if (Array.isArray(m.granular_markings)) {
      for (const g of m.granular_markings) {
        const ref = (g as Obj).marking_ref;
        if (typeof ref === 'string') to.push(ref);
      }
    }
    edges.set(id, to);
  }
  const onCycle = new Set<string>();
  const state = new Map<string, 1 | 2>(); // 1 = on the stack, 2 = done
  const stack: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 1);
    stack.push(n);
    for (const m of edges.get(n) ?? []) {
      if (!edges.has(m)) continue;
      const s = state.get(m);
      if (s === 1) for (let i = stack.indexOf(m); i < stack.length; i++) onCycle.add(stack[i] as string);
      else if (s === undefined) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const id of edges.keys()) if (!state.has(id)) visit(id);
  return onCycle;
}
