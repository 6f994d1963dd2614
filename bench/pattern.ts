/**
 * STIX pattern parser (src/stix/pattern): patterns parsed per CPU second, on typical indicator
 * patterns (one comparison on an address, a domain, a URL or a hash) and on the 23 STIX 2.1 spec
 * examples; printing and matching for scale. The ceiling is JSON.parse of the same patterns as JSON
 * strings, the cheapest parse of the same text in the same run.
 *   npx tsx bench/pattern.ts
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { matchPattern, PreparedObservations, parsePattern, printPattern } from '../src/stix/pattern/index.js';
import { sharedData } from '../test/support/shared-data.js';
import type { BenchResult, BenchRow } from './lib.js';

const ROUNDS = 5;

/** Best CPU time (user + system) of ROUNDS runs of `fn`, in ms. */
function best(fn: () => void): number {
  let ms = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    ms = Math.min(ms, (d.user + d.system) / 1000);
  }
  return ms;
}

const TYPICAL = [
  "[ipv4-addr:value = '198.51.100.1']",
  "[domain-name:value = 'www.5z8.info']",
  "[url:value = 'http://example.com/foo/bar?x=1']",
  "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
  "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']",
  "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
  "[email-addr:value = 'jdoe@example.com']",
  "[ipv4-addr:value = '203.0.113.9' OR ipv4-addr:value = '203.0.113.10']",
];

export async function run(): Promise<BenchResult> {
  const spec = readFileSync(sharedData('cti-pattern-validator', 'spec_examples_v21.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const rows: BenchRow[] = [];
  let sink = 0;
  const measure = (label: string, patterns: string[], reps: number, targetUs?: number) => {
    const asJson = patterns.map((p) => JSON.stringify(p));
    for (let i = 0; i < 2000; i++) for (const p of patterns) sink += parsePattern(p).kind.length;
    const n = patterns.length * reps;
    const ms = best(() => {
      for (let i = 0; i < reps; i++) for (const p of patterns) sink += parsePattern(p).kind.length;
    });
    const ceilMs = best(() => {
      for (let i = 0; i < reps; i++) for (const p of asJson) sink += (JSON.parse(p) as string).length;
    });
    const perSec = Math.round((n * 1000) / ms);
    const us = (ms * 1000) / n;
    rows.push({
      metric: `parse, ${label}`,
      value: perSec,
      unit: 'patterns/s',
      ceiling: Math.round((n * 1000) / ceilMs),
    });
    rows.push({
      metric: `parse, ${label}: time per pattern`,
      value: Number(us.toFixed(2)),
      unit: 'µs',
      ...(targetUs === undefined ? {} : { target: `<= ${targetUs} µs`, pass: us <= targetUs }),
    });
  };
  measure('typical indicator patterns', TYPICAL, 50_000, 5);
  measure('the 23 STIX 2.1 spec examples', spec, 5_000);

  const asts = spec.map(parsePattern);
  const printMs = best(() => {
    for (let i = 0; i < 2_000; i++) for (const a of asts) sink += printPattern(a).length;
  });
  rows.push({
    metric: 'print, spec examples',
    value: Math.round((asts.length * 2_000 * 1000) / printMs),
    unit: 'patterns/s',
  });

  const t = '2024-05-01T12:00:00Z';
  const observations = new PreparedObservations(
    Array.from({ length: 20 }, (_, i) => ({
      first_observed: t,
      last_observed: t,
      objects: [{ type: 'ipv4-addr', id: `ipv4-addr--${i}`, value: `198.51.100.${i}` }],
    })),
  );
  const typical = parsePattern(
    "[ipv4-addr:value ISSUBSET '198.51.100.0/28' AND ipv4-addr:value != '198.51.100.3']",
  );
  const matchMs = best(() => {
    for (let i = 0; i < 5_000; i++) sink += matchPattern(typical, observations).bindings.length;
  });
  rows.push({
    metric: 'match, one comparison pair over 20 prepared observations',
    value: Math.round((5_000 * 1000) / matchMs),
    unit: 'matches/s',
  });

  // Keeps the results observable so the work above cannot be optimised away.
  if (sink < 0) console.log(sink);
  return {
    name: 'pattern',
    rows,
    notes: [
      `rates per CPU second (user + system), best of ${ROUNDS}; ceiling: JSON.parse of the same pattern texts as JSON strings`,
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatResult } = await import('./lib.js');
  console.log(formatResult(await run()));
}
