/**
 * The web UI: its JavaScript gzipped (ceiling 150 KB), and the dashboard's first render in Debian's
 * chromium against a real node on 127.0.0.1 (target under 1 s), from navigation to the dashboard's
 * figures on screen, signed in. The ceiling is an empty page served on 127.0.0.1 and measured the
 * same way in the same run. Runs alone: `npx tsx bench/ui.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Principals } from '../src/http/auth/index.js';
import { ensureWebBuilt, launch, REPO } from '../test/browser/support.js';
import { agreementBetween, network } from '../test/network/harness.js';
import type { BenchResult } from './lib.js';

const RUNS = 10;
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

function jsGzipBytes(): number {
  const dir = path.join(REPO, 'dist', 'web', 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + gzipSync(readFileSync(path.join(dir, f)), { level: 9 }).length, 0);
}

export async function run(): Promise<BenchResult> {
  ensureWebBuilt();
  const js = jsGzipBytes();
  const net = network();
  const a = await net.add('cert-a', 'CERT of Arcadia');
  const b = await net.add('cert-b', 'CERT of Borduria');
  await agreementBetween(a, [b], 'Bench');
  await new Principals(a.node.database).addUser('bench', 'admin', 'bench password');
  const empty = http.createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>x</title><p id="ready">ok</p>');
  });
  await new Promise<void>((r) => empty.listen(0, '127.0.0.1', r));
  const emptyUrl = `http://127.0.0.1:${(empty.address() as AddressInfo).port}/`;
  const browser = await launch();
  try {
    const ctx = await browser.newContext();
    const signin = await ctx.request.post(`${a.url}/api/v1/session`, {
      data: { user: 'bench', password: 'bench password' },
    });
    if (!signin.ok()) throw new Error(`sign-in failed: ${signin.status()}`);
    // In-page time from navigation start to the element on screen.
    const timed = async (url: string, selector: string) => {
      const page = await ctx.newPage();
      await page.goto(url);
      await page.waitForSelector(selector);
      const ms = await page.evaluate<number>('performance.now()');
      await page.close();
      return ms;
    };
    await timed(`${a.url}/#/dashboard`, '[data-screen=dashboard] .grid'); // warm-up
    const dash: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(await timed(emptyUrl, '#ready'));
      dash.push(await timed(`${a.url}/#/dashboard`, '[data-screen=dashboard] .grid'));
    }
    const d = Math.round(median(dash));
    return {
      name: 'ui',
      rows: [
        {
          metric: 'UI JavaScript, gzipped',
          value: Math.round(js / 102.4) / 10,
          unit: 'KB',
          target: '< 150 KB',
          pass: js < 150 * 1024,
        },
        {
          metric: `dashboard first render (median of ${RUNS})`,
          value: d,
          unit: 'ms',
          ceiling: Math.round(median(base)),
          target: '< 1000 ms',
          pass: d < 1000,
        },
      ],
      notes: [
        'first render: navigation start to the dashboard figures on screen, signed in, chromium headless on 127.0.0.1; the ceiling is an empty page measured the same way.',
      ],
    };
  } finally {
    await browser.close();
    empty.close();
    await net.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatResult } = await import('./lib.js');
  console.log(formatResult(await run()));
}
