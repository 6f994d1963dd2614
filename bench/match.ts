/**
 * Indicator lookup at scale: 1,000,000 indicators (hashes, domains, URLs, addresses, CIDR blocks,
 * e-mail addresses, names mixed), built in memory and from a SQLite store; resident memory; lookups
 * per second in process (exact values; addresses against 100,000 CIDR blocks) and over HTTP in
 * batches of 10,000; the brute-force evaluation of the same lookups as the floor, and a raw Map.get
 * of the same keys as the ceiling of every in-process lookup (one hash probe per value).
 *
 *   npx tsx bench/match.ts [--indicators N] [--no-store]
 *   npx tsx bench/match.ts --differential [--indicators N (100,000)] [--observables N (10,000)]
 *
 * `--differential` runs only the differential check (test/match/differential.ts) at full size: every
 * lookup's answer compared with the brute-force evaluation of every pattern; exit code 1 on a mismatch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { lookupPlugin } from '../src/http/api/lookup.js';
import { Principals } from '../src/http/auth/index.js';
import { buildHttpServer } from '../src/http/index.js';
import {
  IndicatorIndex,
  Matcher,
  type Observable,
  observationOf,
  parseObservable,
} from '../src/match/index.js';
import { toStoreHead } from '../src/stix/index.js';
import {
  matchPattern,
  type PatternNode,
  PreparedObservations,
  parsePattern,
} from '../src/stix/pattern/index.js';
import { createStixStore, openDatabase } from '../src/store/index.js';
import { runDifferential } from '../test/match/differential.js';
import { RandomIntel } from '../test/match/random-intel.js';
import { type BenchResult, type BenchRow, rate } from './lib.js';

const HERE = fileURLToPath(import.meta.url);
const NOW = Date.parse('2025-06-01T00:00:00Z');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function rssMiB(): number {
  gc();
  gc();
  return Math.round(process.memoryUsage().rss / 2 ** 20);
}

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

/** Exact-value observables only: hashes, domains, URLs (and e-mail addresses, names) from the pools. */
function exactValues(gen: RandomIntel, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const v = gen.observable();
    const k = parseObservable(v).kind;
    if (k !== 'ipv4-addr' && k !== 'ipv6-addr') out.push(v);
  }
  // As a request body or a file gives them: flat strings, not the generator's concatenations.
  return JSON.parse(JSON.stringify(out)) as string[];
}

/** How the matcher and the lookup API hand the index their values: in batches. */
const BATCH = 10_000;

/** Looks up `obs` in batches through lookupMany (the matcher's path), or one by one through lookup(). */
function timeLookups(
  idx: IndicatorIndex,
  obs: readonly Observable[],
  oneByOne = false,
): { ms: number; hits: number } {
  let hits = 0;
  const t = performance.now();
  if (oneByOne) for (const o of obs) hits += idx.lookup(o, NOW).length;
  else
    for (let i = 0; i < obs.length; i += BATCH)
      for (const h of idx.lookupMany(obs.slice(i, i + BATCH), NOW)) hits += h.length;
  return { ms: performance.now() - t, hits };
}

export async function run(): Promise<BenchResult> {
  const N = Number(arg('--indicators') ?? 1_000_000);
  const LOOKUPS = 1_000_000;
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  // Long runs on a busy machine: show each figure as it is measured.
  const push = rows.push.bind(rows);
  rows.push = (...r: BenchRow[]) => {
    for (const x of r) process.stderr.write(`match: ${x.metric}: ${x.value} ${x.unit}\n`);
    return push(...r);
  };
  const base = rssMiB();

  // Phases 1-4 in a scope of their own, so that their index is garbage before the store phase.
  const httpBatch = await (async () => {
    // 1. In memory: generate and file N indicators one by one (generation timed apart).
    const gen = new RandomIntel(N, { seed: 11, complex: false });
    const idx = new IndicatorIndex();
    let applyMs = 0;
    const keep: { pattern: string; id: string }[] = [];
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const o = gen.indicator();
      if (i < 100_000) keep.push({ pattern: o.pattern as string, id: o.id as string });
      const t = performance.now();
      idx.apply(o, 'local');
      applyMs += performance.now() - t;
    }
    const wallMs = performance.now() - t0;
    const rss = rssMiB();
    rows.push({
      metric: `index build, ${N.toLocaleString('en')} indicators in memory`,
      value: Math.round(applyMs),
      unit: 'ms',
    });
    rows.push({
      metric: 'resident memory of the index (RSS after GC minus RSS before)',
      value: rss - base,
      unit: 'MiB',
      target: '< 1024 MiB',
      pass: rss - base < 1024,
    });
    notes.push(
      `index: ${JSON.stringify(idx.stats)}; generating the objects took ${Math.round(wallMs - applyMs)} ms more; process RSS ${rss} MiB`,
    );

    // 2. Exact values: parsed once, then looked up; and parse + lookup; ceiling: raw Map.get.
    const values = exactValues(gen, LOOKUPS);
    const obs = values.map(parseObservable);
    timeLookups(idx, obs.slice(0, 50_000)); // warm-up
    timeLookups(idx, obs.slice(0, 50_000), true);
    const exact = timeLookups(idx, obs);
    const single = timeLookups(idx, obs, true);
    const tp = performance.now();
    let n2 = 0;
    for (let i = 0; i < values.length; i += BATCH)
      for (const h of idx.lookupMany(values.slice(i, i + BATCH).map(parseObservable), NOW)) n2 += h.length;
    const parseMs = performance.now() - tp;
    const raw = new Map<string, object>();
    for (const o of obs) for (const p of o.probes) if (raw.size < N) raw.set(p.value, p);
    const probes = obs.map((o) => `${o.probes[0]!.value}`);
    const tr = performance.now();
    let n3 = 0;
    for (const p of probes) if (raw.get(p)) n3++;
    const rawMs = performance.now() - tr;
    const ceiling = rate(probes.length, rawMs);
    rows.push({
      metric: `exact-value lookups/s in process (values already typed; lookupMany, batches of ${BATCH.toLocaleString('en')})`,
      value: rate(obs.length, exact.ms),
      unit: 'lookups/s',
      ceiling,
      target: '>= 1,000,000/s',
      pass: rate(obs.length, exact.ms) >= 1_000_000,
    });
    rows.push({
      metric: 'exact-value lookups/s in process, one at a time (lookup())',
      value: rate(obs.length, single.ms),
      unit: 'lookups/s',
      ceiling,
    });
    rows.push({
      metric: 'exact-value lookups/s in process, typing the value included',
      value: rate(values.length, parseMs),
      unit: 'lookups/s',
      ceiling,
    });
    notes.push(
      `exact lookups: ${exact.hits} matches for ${obs.length} values (${single.hits} one at a time, ${n2} with typing, ${n3} raw hits)`,
    );

    // 3. Addresses against 100,000 CIDR blocks (IPv4 and IPv6).
    const cidrGen = new RandomIntel(400_000, { seed: 5, complex: false });
    const cidr = new IndicatorIndex();
    let blocks = 0;
    while (blocks < 100_000) {
      const p = cidrGen.pattern();
      if (!p.includes('ISSUBSET') || p.includes(' OR ')) continue;
      cidr.apply(cidrGen.indicator({ pattern: p }), 'local');
      blocks++;
    }
    const addrs: Observable[] = [];
    while (addrs.length < 500_000) {
      const o = parseObservable(cidrGen.observable());
      if (o.kind === 'ipv4-addr' || o.kind === 'ipv6-addr') addrs.push(o);
    }
    timeLookups(cidr, addrs.slice(0, 50_000));
    const ac = timeLookups(cidr, addrs);
    rows.push({
      metric: 'address lookups/s against 100,000 CIDR blocks',
      value: rate(addrs.length, ac.ms),
      unit: 'lookups/s',
      ceiling,
      target: '>= 500,000/s',
      pass: rate(addrs.length, ac.ms) >= 500_000,
    });
    notes.push(
      `CIDR index: ${JSON.stringify(cidr.stats)}; ${ac.hits} containing blocks found for ${addrs.length} addresses`,
    );

    // 4. Floor: brute force (every pattern evaluated on the observation) over the first 100,000 patterns.
    const asts: PatternNode[] = keep.map((k) => parsePattern(k.pattern));
    const sample = [...obs.slice(0, 10), ...addrs.slice(0, 10)];
    const tb = performance.now();
    for (const o of sample) {
      const prepared = new PreparedObservations(observationOf(o.scos, NOW));
      for (const a of asts) matchPattern(a, prepared);
    }
    const bruteMs = performance.now() - tb;
    const brute100k = rate(sample.length, bruteMs);
    rows.push({
      metric: 'brute force lookups/s against 100,000 patterns (floor)',
      value: brute100k,
      unit: 'lookups/s',
    });
    notes.push(
      `brute force against all ${N.toLocaleString('en')} patterns would be about ${(brute100k * (100_000 / N)).toFixed(2)} lookups/s (linear in patterns)`,
    );
    return [...values.slice(0, 5000), ...addrs.slice(0, 5000).map((o) => o.input)];
  })();

  // 5. From a SQLite store, and over HTTP.
  if (!process.argv.includes('--no-store')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-match-'));
    const database = await openDatabase(`sqlite:${path.join(dir, 'match.db')}`);
    try {
      await database.migrate();
      const store = createStixStore(database);
      const coll = (await store.createCollection({ alias: 'local', title: 'bench' })).id;
      const sgen = new RandomIntel(N, { seed: 11, complex: false });
      const ti = performance.now();
      for (let i = 0; i < N; i += 1000) {
        const batch = Array.from({ length: Math.min(1000, N - i) }, () => {
          const o = sgen.indicator();
          return { head: toStoreHead(o as never), json: JSON.stringify(o) };
        });
        await store.ingest(coll, batch);
      }
      notes.push(
        `SQLite ingest of ${N.toLocaleString('en')} indicators: ${Math.round(performance.now() - ti)} ms`,
      );
      const tm = performance.now();
      const matcher = await Matcher.open(store, { clock: { now: () => NOW }, pageSize: 5000 });
      rows.push({
        metric: `index build from the SQLite store at start (${N.toLocaleString('en')} indicators)`,
        value: Math.round(performance.now() - tm),
        unit: 'ms',
      });

      const { token } = await new Principals(database).createToken('admin');
      const app = await buildHttpServer({ health: async () => ({}) }, [
        lookupPlugin({ database, store, matcher, clock: { now: () => NOW } }),
      ]);
      await app.listen({ host: '127.0.0.1', port: 0 });
      const addr = app.server.address() as { port: number };
      try {
        const batch = httpBatch;
        const body = JSON.stringify({ values: batch });
        const post = () =>
          fetch(`http://127.0.0.1:${addr.port}/api/lookup`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body,
          }).then((r) => r.arrayBuffer());
        await post();
        const rounds = 10;
        const th = performance.now();
        for (let i = 0; i < rounds; i += 2) await Promise.all([post(), post()]);
        rows.push({
          metric: 'HTTP lookups/s, batches of 10,000 (2 concurrent requests)',
          value: rate(rounds * batch.length, performance.now() - th),
          unit: 'lookups/s',
        });
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  return { name: 'match', rows, notes };
}

/** The differential at full size, alone. */
function differential(): BenchResult {
  const indicators = Number(arg('--indicators') ?? 100_000);
  const observables = Number(arg('--observables') ?? 10_000);
  const t = performance.now();
  const d = runDifferential(indicators, observables, NOW, 7);
  const size = `${indicators.toLocaleString('en')} indicators x ${observables.toLocaleString('en')} lookups`;
  const rows: BenchRow[] = [
    {
      metric: `differential ${size}: mismatches`,
      value: d.mismatches.length,
      unit: '',
      pass: d.mismatches.length === 0,
    },
    { metric: 'lookups that matched / matches', value: d.withMatches, unit: `/ ${d.totalMatches}` },
    { metric: 'index lookups (typing included)', value: Math.round(d.indexMs), unit: 'ms' },
    {
      metric: `brute force (${d.bruteEvaluations.toLocaleString('en')} evaluations)`,
      value: Math.round(d.bruteMs),
      unit: 'ms',
    },
    {
      metric: 'whole run (generation and index build included)',
      value: Math.round(performance.now() - t),
      unit: 'ms',
    },
  ];
  const notes = [
    `${d.distinctPatterns.toLocaleString('en')} distinct patterns in force; first mismatches: ${JSON.stringify(d.mismatches.slice(0, 3))}`,
  ];
  return { name: 'match --differential', rows, notes };
}

if (process.argv[1] === HERE) {
  const { formatResult } = await import('./lib.js');
  if (process.argv.includes('--differential')) {
    const r = differential();
    console.log(formatResult(r));
    if (r.rows[0]!.pass === false) process.exitCode = 1;
  } else console.log(formatResult(await run()));
}
