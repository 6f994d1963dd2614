/**
 * The STIX 2.1 validator: one Ajv validator per type, compiled once from the TypeBox schemas,
 * dispatched by `type`, followed by the rules of rules.ts. Results are values, never exceptions.
 *
 *   const v = createStixValidator();
 *   const r = v.validate(obj, { knownMarkings });
 *   if (r.ok) store(r.object); else report(r.errors);
 */
import type { TSchema } from 'typebox';
import { type CompiledType, SchemaCompiler } from './compile.js';
import { isCustomSdoLike } from './custom.js';
import { issue, mapAjvErrors, type StixIssue } from './issues.js';
import { Bundle } from './meta.js';
import {
  checkCalendar,
  checkCreatedBy,
  checkIdPrefix,
  checkIndicatorPattern,
  checkMarkingRefs,
  checkModified,
  checkScoId,
  checkSpecVersion,
  checkTimeOrder,
  checkTlp,
  checkUuidVersion,
  findMarkingCycles,
  type RuleContext,
} from './rules.js';
import { CUSTOM_SCHEMAS, familyOf, OBJECT_SCHEMAS, type StixFamily } from './schemas.js';
import type { StixObject } from './types.js';

export interface ValidateContext {
  /**
   * Marking definitions known beyond the objects at hand (e.g. those already stored): a set of ids
   * or a resolver. When given, every marking reference must resolve to one of them, to a marking
   * definition in the same batch, or to a well-known TLP id. Batches always check resolution.
   */
  knownMarkings?: ReadonlySet<string> | ((id: string) => boolean);
  /**
   * Only what the OASIS JSON schemas check (plus the id prefix they check per type): used by the
   * differential test against them. Default false.
   */
  schemaOnly?: boolean;
  /**
   * `strict` (default): an SCO id that is a UUIDv5 but not the one its ID-contributing properties
   * give is an error. `lenient`: a warning, for feeds that copy the specification's examples (whose
   * UUIDv5 ids were not derived, e.g. ipv4-addr--ff26c055-... for 198.51.100.3).
   */
  scoIds?: 'strict' | 'lenient';
  /**
   * Checks indicator patterns whose pattern_type is `stix` (section 4.7: the pattern MUST follow
   * its language); returns why one is wrong, or undefined. `stixPatternProblem` (pattern-check.ts)
   * is the parser-backed one. Not called when absent.
   */
  checkPattern?: (pattern: string) => string | undefined;
}

export type ValidationResult<T = StixObject> =
  | { ok: true; object: T; warnings: StixIssue[] }
  | { ok: false; errors: StixIssue[]; warnings: StixIssue[] };

export interface BatchResult {
  ok: boolean;
  /** One result per input object, in order. */
  results: ValidationResult[];
  /** Every error, each with the `index` of its object. */
  errors: StixIssue[];
}

export class StixValidator {
  private readonly compiler = new SchemaCompiler();
  /** Validators by type (and `@custom-sdo`, `@custom-sco`, `@bundle`), compiled on first use. */
  private readonly byKey = new Map<string, CompiledType>();

  private validatorFor(key: string, schema: TSchema): CompiledType {
    let fn = this.byKey.get(key);
    if (!fn) {
      fn = this.compiler.compile(schema);
      this.byKey.set(key, fn);
    }
    return fn;
  }

  /**
   * familyOf, remembered for the types met (up to four property lookups per object otherwise);
   * custom types too, up to a bound, since their names come from the input.
   */
  private readonly families = new Map<string, StixFamily>();
  private familyOf(type: string): StixFamily {
    let f = this.families.get(type);
    if (f === undefined) {
      f = familyOf(type);
      if (f !== 'custom' || this.families.size < 1024) this.families.set(type, f);
    }
    return f;
  }

  /** Compiles every type now instead of on first use (e.g. before a benchmark). */
  warmUp(): this {
    for (const [type, schema] of Object.entries(OBJECT_SCHEMAS)) this.validatorFor(type, schema);
    this.validatorFor('@custom-sdo', CUSTOM_SCHEMAS.sdo);
    this.validatorFor('@custom-sco', CUSTOM_SCHEMAS.sco);
    this.validatorFor('@bundle', Bundle);
    return this;
  }

  private schemaErrors(key: string, schema: TSchema, input: unknown, id: string | undefined): StixIssue[] {
    const c = this.validatorFor(key, schema);
    if (c.check(input)) return NONE;
    const explain = c.explain;
    explain(input);
    return mapAjvErrors(explain.errors ?? [], id, this.compiler);
  }

  /** Validates one object. Marking references are checked only when `ctx.knownMarkings` is given. */
  validate(input: unknown, ctx: ValidateContext = {}): ValidationResult {
    return this.check(input, ctx, this.ruleContextOf(ctx));
  }

  /**
   * Callers such as ingest validate thousands of objects with one context object: its rule
   * context is built once and reused while the fields it was built from are unchanged.
   */
  private lastCtx: ValidateContext | undefined;
  private lastKnown: ValidateContext['knownMarkings'];
  private lastScoIds: ValidateContext['scoIds'];
  private lastPattern: ValidateContext['checkPattern'];
  private lastSchemaOnly: boolean | undefined;
  private lastRc: RuleContext = {};

  private ruleContextOf(ctx: ValidateContext): RuleContext {
    if (
      ctx === this.lastCtx &&
      ctx.knownMarkings === this.lastKnown &&
      ctx.scoIds === this.lastScoIds &&
      ctx.checkPattern === this.lastPattern &&
      ctx.schemaOnly === this.lastSchemaOnly
    ) {
      return this.lastRc;
    }
    const known = ctx.knownMarkings ? resolver(ctx.knownMarkings) : undefined;
    this.lastRc = ruleContext(ctx, known);
    this.lastCtx = ctx;
    this.lastKnown = ctx.knownMarkings;
    this.lastScoIds = ctx.scoIds;
    this.lastPattern = ctx.checkPattern;
    this.lastSchemaOnly = ctx.schemaOnly;
    return this.lastRc;
  }

  /**
   * Validates objects that arrive together (a bundle's, a TAXII envelope's): marking references
   * must resolve within the batch, to well-known TLP ids or to `ctx.knownMarkings`, and the batch's
   * marking definitions must not mark each other in a cycle.
   */
  validateBatch(inputs: readonly unknown[], ctx: ValidateContext = {}): BatchResult {
    const markings = new Map<string, Record<string, unknown>>();
    for (const o of inputs) {
      if (isRecord(o) && o.type === 'marking-definition' && typeof o.id === 'string') markings.set(o.id, o);
    }
    const outer = ctx.knownMarkings ? resolver(ctx.knownMarkings) : undefined;
    const rc = ruleContext(ctx, (id) => markings.has(id) || (outer?.(id) ?? false));
    const cycles = ctx.schemaOnly ? new Set<string>() : findMarkingCycles(markings);
    const results: ValidationResult[] = [];
    const errors: StixIssue[] = [];
    inputs.forEach((o, index) => {
      let r = this.check(o, ctx, rc);
      const id = isRecord(o) && typeof o.id === 'string' ? o.id : undefined;
      if (id && cycles.has(id) && isRecord(o) && o.type === 'marking-definition') {
        const cyc = issue(
          'stix.marking_cycle',
          '',
          `marking definition ${id} is on a circular marking chain`,
          id,
        );
        r = r.ok ? { ok: false, errors: [cyc], warnings: r.warnings } : { ...r, errors: [...r.errors, cyc] };
      }
      results.push(r);
      if (!r.ok) for (const e of r.errors) errors.push({ ...e, index });
    });
    return { ok: errors.length === 0, results, errors };
  }

  /** Validates a bundle (section 8) and, as one batch, the objects in it. */
  validateBundle(input: unknown, ctx: ValidateContext = {}): BatchResult {
    if (!isRecord(input)) {
      return {
        ok: false,
        results: [],
        errors: [issue('stix.not_an_object', '', 'a bundle is a JSON object')],
      };
    }
    const id = typeof input.id === 'string' ? input.id : undefined;
    const head: StixIssue[] = [];
    head.push(...this.schemaErrors('@bundle', Bundle, input, id));
    const batch = this.validateBatch(Array.isArray(input.objects) ? input.objects : [], ctx);
    const errors = [...head, ...batch.errors.map((e) => ({ ...e, path: `/objects/${e.index}${e.path}` }))];
    return { ok: errors.length === 0, results: batch.results, errors };
  }

  /**
   * Parses JSON text (an object or a bundle) and validates it; a syntax error is reported as
   * `stix.json` rather than thrown.
   */
  validateJson(text: string, ctx: ValidateContext = {}): BatchResult {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return { ok: false, results: [], errors: [issue('stix.json', '', `not JSON (RFC 8259): ${msg}`)] };
    }
    if (isRecord(parsed) && parsed.type === 'bundle') return this.validateBundle(parsed, ctx);
    return this.validateBatch([parsed], ctx);
  }

  private check(input: unknown, ctx: ValidateContext, rc: RuleContext): ValidationResult {
    if (!isRecord(input)) {
      return {
        ok: false,
        errors: [issue('stix.not_an_object', '', 'a STIX object is a JSON object')],
        warnings: [],
      };
    }
    const type = input.type;
    const id = typeof input.id === 'string' ? input.id : undefined;
    if (typeof type !== 'string') {
      const rule = type === undefined ? 'stix.required' : 'stix.property_type';
      return { ok: false, errors: [issue(rule, '/type', 'type must be a string', id)], warnings: [] };
    }
    if (type === 'bundle') {
      // Section 8: a bundle is a wrapper, not an object; it cannot stand where objects go.
      return {
        ok: false,
        errors: [issue('stix.nested_bundle', '/type', 'a bundle is not a STIX object', id)],
        warnings: [],
      };
    }
    const family = this.familyOf(type);
    const [key, schema] =
      family !== 'custom'
        ? [type, OBJECT_SCHEMAS[type] as TSchema]
        : isCustomSdoLike(input)
          ? ['@custom-sdo', CUSTOM_SCHEMAS.sdo]
          : ['@custom-sco', CUSTOM_SCHEMAS.sco];
    let errors = this.schemaErrors(key, schema, input, id);
    if (
      typeof id === 'string' &&
      !(id.startsWith(type) && id.charCodeAt(type.length) === 45 && id.charCodeAt(type.length + 1) === 45)
    ) {
      // The id does not start with `${type}--`: checkIdPrefix says so.
      errors = errors === NONE ? [] : errors;
      checkIdPrefix(input, errors);
    }
    if (ctx.schemaOnly || errors.length > 0 || id === undefined) {
      return errors.length > 0
        ? { ok: false, errors, warnings: [] }
        : { ok: true, object: input as StixObject, warnings: [] };
    }
    const all: StixIssue[] = [];
    runRules(input, id, family, rc, all);
    // Most objects raise nothing: no filtering (and no further arrays) for them.
    if (all.length === 0) return { ok: true, object: input as StixObject, warnings: all };
    const warnings: StixIssue[] = [];
    const errs: StixIssue[] = [];
    for (const i of all) (i.severity === 'error' ? errs : warnings).push(i);
    return errs.length > 0
      ? { ok: false, errors: errs, warnings }
      : { ok: true, object: input as StixObject, warnings };
  }
}

function runRules(
  o: Record<string, unknown>,
  id: string,
  family: StixFamily,
  rc: RuleContext,
  out: StixIssue[],
) {
  checkSpecVersion(o, id, out);
  checkCalendar(o, id, out);
  if (family !== 'sco') {
    checkModified(o, id, out);
    checkTimeOrder(o, id, out);
    checkCreatedBy(o, id, out);
  }
  if (family === 'sco') checkScoId(o, id, rc, out);
  // Custom SCO-like objects may use UUIDv5 as SCOs do.
  else if (family !== 'custom' || isCustomSdoLike(o)) checkUuidVersion(id, out);
  if (o.type === 'marking-definition') checkTlp(o, id, out);
  if (o.type === 'indicator' && rc.checkPattern) checkIndicatorPattern(o, id, rc.checkPattern, out);
  checkMarkingRefs(o, id, rc, out);
}

function ruleContext(ctx: ValidateContext, isKnownMarking?: (id: string) => boolean): RuleContext {
  if (ctx.schemaOnly) return {};
  return {
    ...(isKnownMarking ? { isKnownMarking } : {}),
    ...(ctx.scoIds ? { scoIds: ctx.scoIds } : {}),
    ...(ctx.checkPattern ? { checkPattern: ctx.checkPattern } : {}),
  };
}

/** The shared empty result of a passed schema check; never handed out or written to. */
const NONE: StixIssue[] = [];

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function resolver(k: ReadonlySet<string> | ((id: string) => boolean)): (id: string) => boolean {
  return typeof k === 'function' ? k : (id) => k.has(id);
}

let shared: StixValidator | undefined;
/** A validator built on first use; compiled schemas are immutable, so sharing one is safe. */
export const defaultValidator = (): StixValidator => {
  shared ??= new StixValidator();
  return shared;
};
export const createStixValidator = (): StixValidator => new StixValidator();

/** Validates one object with the shared validator. */
export const validateObject = (obj: unknown, ctx?: ValidateContext): ValidationResult =>
  defaultValidator().validate(obj, ctx);
/** Validates a bundle with the shared validator. */
export const validateBundle = (bundle: unknown, ctx?: ValidateContext): BatchResult =>
  defaultValidator().validateBundle(bundle, ctx);
