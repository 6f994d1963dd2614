/** Query-string values of the hotline API, checked by hand: a bad one is a 400 naming it. */
import { invalid } from '../../../core/index.js';

type Query = Record<string, string | string[] | undefined>;

const one = (q: Query, name: string): string | undefined => {
  const v = q[name];
  if (Array.isArray(v)) throw invalid('http.bad_query', `query ${name} is given twice`, { field: name });
  return v;
};

export function flag(q: Query, name: string): boolean | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1' || v === '') return true;
  if (v === 'false' || v === '0') return false;
  throw invalid('http.bad_query', `query ${name} must be true or false, got "${v}"`, { field: name });
}

export function int(q: Query, name: string, min: number, max: number): number | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalid('http.bad_query', `query ${name} must be an integer from ${min} to ${max}, got "${v}"`, {
      field: name,
    });
  return n;
}

export function oneOf<T extends string>(q: Query, name: string, values: readonly T[]): T | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v))
    throw invalid('http.bad_query', `query ${name} must be one of ${values.join(', ')}, got "${v}"`, {
      field: name,
    });
  return v as T;
}

export const text = (q: Query, name: string): string | undefined => one(q, name);
