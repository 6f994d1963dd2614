/**
 * The input of the evaluator: observed-data-like records (STIX 2.1 section 4.14) and their SCOs,
 * prepared once per match: times parsed, objects indexed by id and by type.
 */
import { invalid } from '../../../core/errors.js';
import { timestampMillis } from '../literals.js';

/** A STIX Cyber-observable Object, as JSON: at least a `type`, usually an `id`. */
export interface Sco {
  readonly type: string;
  readonly id?: string;
  readonly [property: string]: unknown;
}

/**
 * One observation: when it was seen, how many times, and the SCOs seen. `objects` is an array of SCOs
 * whose `_ref`/`_refs` properties hold the `id` of another of them (STIX 2.1), or a dictionary keyed by
 * local reference (the STIX 2.0 `objects` form), where references name those keys.
 */
export interface Observation {
  readonly first_observed: string;
  readonly last_observed: string;
  /** At least 1; defaults to 1. An observation seen n times can be bound n times (REPEATS). */
  readonly number_observed?: number;
  readonly objects: readonly Sco[] | Readonly<Record<string, Sco>>;
}

export interface PreparedObservation {
  readonly first: number;
  readonly last: number;
  readonly count: number;
  readonly byId: ReadonlyMap<string, Sco>;
  readonly byType: ReadonlyMap<string, readonly Sco[]>;
}

export function prepareObservation(o: Observation, index: number): PreparedObservation {
  const first = timestampMillis(o.first_observed);
  const last = timestampMillis(o.last_observed);
  if (Number.isNaN(first) || Number.isNaN(last) || last < first) {
    throw invalid(
      'pattern.bad_observation',
      `observation ${index}: first_observed and last_observed must be RFC 3339 timestamps, first <= last`,
      { index },
    );
  }
  const count = o.number_observed ?? 1;
  if (!Number.isInteger(count) || count < 1) {
    throw invalid(
      'pattern.bad_observation',
      `observation ${index}: number_observed must be an integer >= 1`,
      {
        index,
      },
    );
  }
  if (o.objects === null || typeof o.objects !== 'object') {
    throw invalid(
      'pattern.bad_observation',
      `observation ${index}: objects must be an array or a dictionary of SCOs`,
      {
        index,
      },
    );
  }
  const byId = new Map<string, Sco>();
  const byType = new Map<string, Sco[]>();
  const add = (sco: Sco, ref?: string) => {
    if (sco === null || typeof sco !== 'object' || typeof sco.type !== 'string') {
      throw invalid('pattern.bad_observation', `observation ${index}: every object needs a string "type"`, {
        index,
      });
    }
    if (ref !== undefined) byId.set(ref, sco);
    if (typeof sco.id === 'string') byId.set(sco.id, sco);
    const list = byType.get(sco.type);
    if (list) list.push(sco);
    else byType.set(sco.type, [sco]);
  };
  if (Array.isArray(o.objects)) for (const sco of o.objects as readonly Sco[]) add(sco);
  else for (const [ref, sco] of Object.entries(o.objects as Record<string, Sco>)) add(sco, ref);
  return { first, last, count, byId, byType };
}
