/**
 * Report periods: a month (2026-07), a quarter (2026-Q3), a year (2026) or a custom range of days
 * (2026-07-01..2026-08-15, both days included). Bounds are UTC, start inclusive, end exclusive.
 */
import { invalid } from '../core/index.js';

export interface Period {
  id: string;
  kind: 'month' | 'quarter' | 'year' | 'custom';
  /** ms since the epoch, inclusive. */
  start: number;
  /** ms since the epoch, exclusive. */
  end: number;
}

const DAY = 86_400_000;
const utc = (y: number, m: number, d = 1) => Date.UTC(y, m, d);
const pad = (n: number) => String(n).padStart(2, '0');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const month = (y: number, m: number): Period => ({
  id: `${y}-${pad(m + 1)}`,
  kind: 'month',
  start: utc(y, m),
  end: utc(y, m + 1),
});
const quarter = (y: number, q: number): Period => ({
  id: `${y}-Q${q}`,
  kind: 'quarter',
  start: utc(y, (q - 1) * 3),
  end: utc(y, q * 3),
});
const year = (y: number): Period => ({ id: `${y}`, kind: 'year', start: utc(y, 0), end: utc(y + 1, 0) });

/** Parses a period; throws `compliance.bad_period` naming the accepted forms. */
export function parsePeriod(spec: string): Period {
  const s = spec.trim();
  let m = /^(\d{4})-Q([1-4])$/i.exec(s);
  if (m) return quarter(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return month(Number(m[1]), Number(m[2]) - 1);
  m = /^(\d{4})$/.exec(s);
  if (m) return year(Number(m[1]));
  m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(s);
  if (m) {
    const a = Date.parse(`${m[1]}T00:00:00Z`);
    const b = Date.parse(`${m[2]}T00:00:00Z`);
    if (Number.isFinite(a) && Number.isFinite(b) && a <= b && day(a) === m[1] && day(b) === m[2])
      return { id: `${m[1]}..${m[2]}`, kind: 'custom', start: a, end: b + DAY };
  }
  throw invalid(
    'compliance.bad_period',
    `period "${spec}" is not a month (2026-07), quarter (2026-Q3), year (2026) or range of days (2026-07-01..2026-08-15)`,
    { field: 'period' },
  );
}

/** The period just before `p`, of the same kind (a custom range: the same number of days). */
export function previousPeriod(p: Period): Period {
  const d = new Date(p.start);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  if (p.kind === 'month') return month(mo === 0 ? y - 1 : y, (mo + 11) % 12);
  if (p.kind === 'quarter') {
    const q = Math.floor(mo / 3) + 1;
    return q === 1 ? quarter(y - 1, 4) : quarter(y, q - 1);
  }
  if (p.kind === 'year') return year(y - 1);
  const len = p.end - p.start;
  return {
    id: `${day(p.start - len)}..${day(p.start - DAY)}`,
    kind: 'custom',
    start: p.start - len,
    end: p.start,
  };
}

/** `n` periods before `p`, oldest first. */
export function earlierPeriods(p: Period, n: number): Period[] {
  const out: Period[] = [];
  let cur = p;
  for (let i = 0; i < n; i++) {
    cur = previousPeriod(cur);
    out.unshift(cur);
  }
  return out;
}
