/**
 * The differential check: index lookups against a brute-force evaluation of every pattern in force
 * (matchPattern over one observation holding the looked-up SCOs). Two shortcuts keep it affordable,
 * both plainly sound and neither using an index key, literal or normalisation: the brute force skips
 * the patterns that name none of the observation's SCO types, which can never match (every
 * comparison, EXISTS included, needs an SCO of its type), and evaluates each distinct pattern text
 * once per lookup, its answer standing for every indicator in force with that text (the evaluator
 * is a function of the pattern and the observation).
 */
import { IndicatorIndex, observationOf, parseObservable } from '../../src/match/index.js';
import {
  type ComparisonExpression,
  matchPattern,
  type PatternNode,
  PreparedObservations,
  parsePattern,
} from '../../src/stix/pattern/index.js';
import { RandomIntel } from './random-intel.js';

export interface DifferentialReport {
  indicators: number;
  observables: number;
  /** Lookups whose answer, one by one or batched, differed from the brute force (should be empty). */
  mismatches: { value: string; index: string[]; brute: string[] }[];
  /** Lookups that matched at least one indicator. */
  withMatches: number;
  totalMatches: number;
  indexMs: number;
  bruteMs: number;
  bruteEvaluations: number;
  /** Distinct pattern texts in force (each evaluated once per lookup where its types allow). */
  distinctPatterns: number;
}

function typesOfExpr(e: ComparisonExpression, out: Set<string>): void {
  if (e.kind === 'comparison' || e.kind === 'exists') out.add(e.path.objectType);
  else for (const o of e.operands) typesOfExpr(o, out);
}

function typesOf(n: PatternNode, out = new Set<string>()): Set<string> {
  if (n.kind === 'observation') typesOfExpr(n.expression, out);
  else if (n.kind === 'qualified') typesOf(n.expression, out);
  else for (const o of n.operands) typesOf(o, out);
  return out;
}

/** Builds `indicators` random indicators (some re-versioned or revoked) and compares `observables` lookups. */
export function runDifferential(
  indicators: number,
  observables: number,
  nowMs: number,
  seed = 7,
): DifferentialReport {
  const gen = new RandomIntel(indicators, { seed });
  const idx = new IndicatorIndex();
  const final = new Map<string, Record<string, unknown> | null>();
  for (let i = 0; i < indicators; i++) {
    const o = gen.indicator();
    idx.apply(o, 'local');
    final.set(o.id as string, o);
  }
  // Later versions: 5% get a new pattern, 2% are revoked, applied as a refresh would.
  const ids = [...final.keys()];
  for (const id of ids) {
    const x = gen.r();
    if (x < 0.05) {
      const v2 = { ...final.get(id)!, modified: '2024-06-01T00:00:00.000Z', pattern: gen.pattern() };
      idx.apply(v2, 'local');
      final.set(id, v2);
    } else if (x < 0.07) {
      idx.apply({ ...final.get(id)!, modified: '2024-06-01T00:00:00.000Z', revoked: true }, 'local');
      final.set(id, null);
    }
  }
  const values = Array.from({ length: observables }, () => gen.observable());

  const t0 = performance.now();
  const answers = values.map((v) => idx.lookup(parseObservable(v), nowMs).map((e) => e.id));
  const indexMs = performance.now() - t0;
  // The batched path (what the matcher and the lookup API use) must give the same answers.
  const batched = idx.lookupMany(values.map(parseObservable), nowMs).map((hits) => hits.map((e) => e.id));

  // Brute force: every distinct pattern text in force, with the indicators that carry it, grouped by
  // the SCO types it names.
  const byText = new Map<string, { ast: PatternNode; ids: string[] }>();
  for (const [id, o] of final) {
    if (!o) continue;
    const from = Date.parse(o.valid_from as string);
    const until = typeof o.valid_until === 'string' ? Date.parse(o.valid_until) : Infinity;
    if (nowMs < from || nowMs >= until) continue;
    const text = o.pattern as string;
    const known = byText.get(text);
    if (known) known.ids.push(id);
    else byText.set(text, { ast: parsePattern(text), ids: [id] });
  }
  const byType = new Map<string, { ast: PatternNode; ids: string[] }[]>();
  for (const p of byText.values()) {
    for (const t of typesOf(p.ast)) {
      let l = byType.get(t);
      if (!l) {
        l = [];
        byType.set(t, l);
      }
      l.push(p);
    }
  }
  const t1 = performance.now();
  let bruteEvaluations = 0;
  const brute = values.map((v) => {
    const scos = parseObservable(v).scos;
    const obs = new PreparedObservations(observationOf(scos, nowMs));
    const out: string[] = [];
    const tried = new Set<{ ast: PatternNode; ids: string[] }>();
    for (const t of new Set(scos.map((s) => s.type))) {
      for (const p of byType.get(t) ?? []) {
        if (tried.has(p)) continue;
        tried.add(p);
        bruteEvaluations++;
        if (matchPattern(p.ast, obs).matched) out.push(...p.ids);
      }
    }
    return out;
  });
  const bruteMs = performance.now() - t1;
  const distinctPatterns = byText.size;

  const mismatches: DifferentialReport['mismatches'] = [];
  let withMatches = 0;
  let totalMatches = 0;
  for (let i = 0; i < values.length; i++) {
    const a = [...answers[i]!].sort();
    const b = [...brute[i]!].sort();
    if (a.length > 0) withMatches++;
    totalMatches += a.length;
    if (a.join() !== b.join()) mismatches.push({ value: values[i]!, index: a, brute: b });
    const m = [...batched[i]!].sort();
    if (m.join() !== b.join()) mismatches.push({ value: `${values[i]!} (batched)`, index: m, brute: b });
  }
  return {
    indicators,
    observables,
    mismatches,
    withMatches,
    totalMatches,
    indexMs,
    bruteMs,
    bruteEvaluations,
    distinctPatterns,
  };
}
