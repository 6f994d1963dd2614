/** Reading query strings: each helper names the parameter in its error. */
import { invalid } from '../../../core/index.js';

export type Query = Record<string, string | string[] | undefined>;

const one = (q: Query, name: string): string | undefined => {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
};

export const text = (q: Query, name: string): string | undefined => {
  const v = one(q, name)?.trim();
  return v ? v : undefined;
};

/** A comma-separated list (repeated parameters are joined too); undefined when absent or empty. */
export function list(q: Query, name: string): string[] | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  const out = (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  return out.length ? out : undefined;
}

export function int(q: Query, name: string, dflt: number, min: number, max: number): number {
  const v = one(q, name);
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw invalid('http.bad_query', `${name} must be an integer from ${min} to ${max}, got "${v}"`, {
      field: name,
    });
  return n;
}

/** A date or date-time; `end` turns a bare day into the end of that day. */
export function time(q: Query, name: string, end = false): number | undefined {
  const v = text(q, name);
  if (!v) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const ms = Date.parse(day ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(ms))
    throw invalid('http.bad_query', `${name} must be a date (YYYY-MM-DD) or an RFC 3339 time, got "${v}"`, {
      field: name,
    });
  return day && end ? ms + 86_400_000 - 1 : ms;
}
