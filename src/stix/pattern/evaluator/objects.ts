/**
 * Evaluation inside one observation expression: object paths against the SCOs of one observation.
 *
 * STIX 2.1 section 9.5 lets one observation expression test several object types; all of its
 * comparisons are evaluated against the SCOs of the same observation. Comparisons on the same object
 * type joined by AND must hold for the same SCO (`[file:name = 'a' AND file:size = 1]` is one file);
 * comparisons on different types may be satisfied by different SCOs of that observation. So a
 * comparison expression evaluates to "object bindings": which SCO stands for each object type.
 */
import type { ComparisonExpression, PathStep } from '../ast.js';
import { testValue } from './compare.js';
import type { PreparedObservation, Sco } from './observations.js';

type ObjectBinding = ReadonlyArray<readonly [string, Sco]>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The values an object path reaches from `sco` (9.4): `[*]` fans out over a list (or a dictionary's
 * values), `[n]` picks one element (negative n counts from the end), and a key applied to the value of
 * a `_ref` property, or to an element of a `_refs` list, continues on the referenced SCO of the same
 * observation. Missing properties, null and out-of-range indexes yield nothing.
 */
export function pathValues(sco: Sco, steps: readonly PathStep[], obs: PreparedObservation): unknown[] {
  let cur: unknown[] = [sco];
  let refs = false;
  for (const step of steps) {
    const next: unknown[] = [];
    if (step.kind === 'key') {
      for (let v of cur) {
        if (refs && typeof v === 'string') v = obs.byId.get(v);
        if (isRecord(v) && Object.hasOwn(v, step.key)) {
          const x = v[step.key];
          if (x !== undefined && x !== null) next.push(x);
        }
      }
      refs = step.key.endsWith('_ref') || step.key.endsWith('_refs');
    } else if (step.kind === 'index') {
      for (const v of cur) {
        if (!Array.isArray(v)) continue;
        const x = v[step.index < 0 ? v.length + step.index : step.index];
        if (x !== undefined && x !== null) next.push(x);
      }
    } else {
      for (const v of cur) {
        if (Array.isArray(v)) next.push(...v.filter((x) => x !== undefined && x !== null));
        else if (isRecord(v)) next.push(...Object.values(v).filter((x) => x !== undefined && x !== null));
      }
    }
    if (next.length === 0) return next;
    cur = next;
  }
  return cur;
}

/** The property name that decides how a value is read (`_hex`, `_bin`): the last key of the path. */
function propertyName(steps: readonly PathStep[]): string {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (s.kind === 'key') return s.key;
  }
  return '';
}

function leaf(e: ComparisonExpression & { kind: 'comparison' | 'exists' }, obs: PreparedObservation) {
  const type = e.path.objectType;
  const out: ObjectBinding[] = [];
  const prop = propertyName(e.path.steps);
  for (const sco of obs.byType.get(type) ?? []) {
    const values = pathValues(sco, e.path.steps, obs);
    let ok: boolean;
    if (e.kind === 'exists') ok = values.length > 0 !== e.negated;
    else ok = values.some((v) => testValue(e, v, prop));
    if (ok) out.push([[type, sco]]);
  }
  return out;
}

/** Pairs of bindings that agree on every object type they share, merged. */
function join(a: readonly ObjectBinding[], b: readonly ObjectBinding[]): ObjectBinding[] {
  const out: ObjectBinding[] = [];
  for (const x of a) {
    outer: for (const y of b) {
      const merged = [...x];
      for (const [type, sco] of y) {
        const bound = x.find(([t]) => t === type);
        if (!bound) merged.push([type, sco]);
        else if (bound[1] !== sco) continue outer;
      }
      out.push(merged);
    }
  }
  return out;
}

function bindingsOf(e: ComparisonExpression, obs: PreparedObservation): ObjectBinding[] {
  switch (e.kind) {
    case 'comparison':
    case 'exists':
      return leaf(e, obs);
    case 'or':
      return e.operands.flatMap((o) => bindingsOf(o, obs));
    case 'and': {
      let acc = bindingsOf(e.operands[0]!, obs);
      for (let i = 1; i < e.operands.length && acc.length > 0; i++)
        acc = join(acc, bindingsOf(e.operands[i]!, obs));
      return acc;
    }
  }
}

/** Whether the SCOs of one observation satisfy the inside of an observation expression. */
export function observationMatches(e: ComparisonExpression, obs: PreparedObservation): boolean {
  if (e.kind === 'or') return e.operands.some((o) => observationMatches(o, obs));
  return bindingsOf(e, obs).length > 0;
}
