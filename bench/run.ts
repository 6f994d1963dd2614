/**
 * `npm run bench [-- NAME...]`: runs the benchmarks (all, or those named) one after another in this
 * process and prints their results as Markdown, ready for docs/BENCHMARKS.md, with the date and
 * the machine. Each benchmark module exports `run(): Promise<BenchResult>` and also runs alone.
 */
import os from 'node:os';
import { type BenchResult, formatResult } from './lib.js';

const SUITES: Record<string, () => Promise<{ run: () => Promise<unknown> }>> = {
  ingest: () => import('./ingest.js'),
  'json-stream': () => import('./json-stream.js'),
  envelope: () => import('./envelope.js'),
  ledger: () => import('./ledger.js'),
  pattern: () => import('./pattern.js'),
  taxii: () => import('./taxii.js'),
  match: () => import('./match.js'),
  exchange: () => import('./exchange.js'),
  hotline: () => import('./hotline.js'),
  ui: () => import('./ui.js'),
  compliance: () => import('./compliance.js'),
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(SUITES);
const unknown = names.filter((n) => !SUITES[n]);
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}

const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
console.log(`# parley benchmarks, ${new Date().toISOString()}`);
console.log(
  `machine: ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
);
console.log(`command: npm run bench${wanted.length ? ` -- ${wanted.join(' ')}` : ''}\n`);
let failed = false;
for (const name of names) {
  const loader = SUITES[name] as () => Promise<{ run: () => Promise<unknown> }>;
  try {
    const mod = await loader();
    const res = await mod.run();
    if (res && typeof res === 'object' && Array.isArray((res as BenchResult).rows)) {
      console.log(formatResult(res as BenchResult));
    } else {
      console.log(`### ${name}\n\n\`\`\`\n${JSON.stringify(res, null, 2)}\n\`\`\``);
    }
  } catch (e) {
    failed = true;
    console.log(`### ${name}\n\nfailed: ${(e as Error).stack ?? e}`);
  }
  console.log('');
}
process.exit(failed ? 1 : 0);
