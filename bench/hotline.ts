/**
 * Hotline: send to signed receipt, on 127.0.0.1 with SQLite. Node A (this process) sends requests
 * for information to node B (its own process, `parley serve`), open loop at a fixed rate; a
 * message's latency runs from the call to `hotline.send()` to the moment A's outbox records it
 * delivered, which is after B opened the envelope, stored the message, logged it in its ledger and
 * signed a receipt, and after A checked that receipt, logged the envelope and kept the receipt.
 * Rates climb from 100/s until p99 passes 100 ms. Ceiling in the same run: a raw node:http POST of
 * an envelope-sized body to a raw server in its own process, at the same rate.
 *
 * `npx tsx bench/hotline.ts` (PARLEY_BENCH_SECONDS per rate, default 5).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HOTLINE_ENVELOPE, type MessageInput } from '../src/hotline/index.js';
import { agreementBetween, network, type TestNode } from '../test/network/harness.js';
import type { BenchResult, BenchRow } from './lib.js';

const SECONDS = Number(process.env.PARLEY_BENCH_SECONDS ?? 5);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length ? (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0) : Number.NaN;
};
const round = (x: number) => Math.round(x * 100) / 100;

/** Starts `args` as a child and resolves once a stdout line matches `ready`. */
function child(args: string[], ready: RegExp): Promise<{ p: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const fail = (why: string) => reject(new Error(`${args.join(' ')}: ${why}\n${out}`));
    p.stdout?.on('data', (d) => {
      out += d;
      if (ready.test(out)) resolve({ p, out });
    });
    p.stderr?.on('data', (d) => {
      out += d;
    });
    p.once('exit', (code) => fail(`exited ${code}`));
  });
}

/** Runs `send` at `perSecond` for SECONDS (open loop); resolves with each call's latency, ms. */
async function openLoop(
  perSecond: number,
  send: () => Promise<number>,
): Promise<{ lat: number[]; ms: number }> {
  const n = Math.max(1, Math.round(perSecond * SECONDS));
  const gap = 1000 / perSecond;
  const start = performance.now();
  const pending: Promise<number>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + i * gap;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(send());
  }
  const lat = await Promise.all(pending);
  return { lat, ms: performance.now() - start };
}

export async function run(): Promise<BenchResult> {
  const net = network({ backend: 'sqlite' });
  const children: ChildProcess[] = [];
  // Even when a failure ends the process before `finally` runs, the children go with it.
  const killAll = () => {
    for (const c of children) c.kill('SIGTERM');
  };
  process.once('exit', killAll);
  try {
    const a = await net.add('bench-a', 'CERT of Arcadia');
    const b = await net.add('bench-b', 'CERT of Borduria');
    const agreement = await agreementBetween(a, [b], 'Hotline benchmark');
    const poc = (id: string) => ({
      id,
      role: 'technical' as const,
      kind: 'desk' as const,
      name: `${id} desk`,
      channels: ['parley:hotline'],
      languages: ['en'],
      timezone: 'UTC',
      hours: '24/7',
    });
    await a.node.peer.directory.add(poc('a-duty'));
    await b.node.peer.directory.add(poc('b-duty'));
    for (const n of [a, b]) await n.node.peer.directory.publish();
    await a.node.outbox.pass();
    // B moves to its own process on the same port and data directory: the receiving side gets a core.
    const port = new URL(b.url).port;
    await moveToChild(b, port, children);

    // The ceiling: raw node:http, envelope-sized POST, raw server in its own process.
    const raw = await child(
      [
        '-e',
        "require('http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.setHeader('content-type','application/json');s.end('{}')})}).listen(0,'127.0.0.1',function(){console.log('port '+this.address().port)})",
      ],
      /port \d+/,
    );
    children.push(raw.p);
    const rawPort = Number(/port (\d+)/.exec(raw.out)?.[1]);
    const body = Buffer.alloc(2400, 'x');
    const agent = new http.Agent({ keepAlive: true });
    const rawPost = () =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const req = http.request(
          {
            host: '127.0.0.1',
            port: rawPort,
            method: 'POST',
            path: '/',
            agent,
            headers: { 'content-length': body.length },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(performance.now() - t0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    const trace = process.env.PARLEY_BENCH_TRACE === '1';
    const phases = { send: [] as number[], queued: [] as number[], post: [] as number[] };
    const posted = new Map<string, number>();
    if (trace) {
      const { outboxSender } = await import('../src/http/peer/index.js');
      const inner = outboxSender(a.node.peer.messenger);
      a.node.outbox.useSender({
        async send(item) {
          const t = performance.now();
          const r = await inner.send(item);
          phases.post.push(performance.now() - t);
          posted.set(String((item.payload as { id?: string }).id), t);
          return r;
        },
      });
    }
    const delivered = new Map<string, (t: number) => void>();
    a.node.outbox.onSettled(HOTLINE_ENVELOPE, async (_tx, item) => {
      if (item.state === 'delivered' && item.ref) delivered.get(item.ref)?.(performance.now());
    });
    const input: MessageInput = {
      agreement,
      kind: 'rfi',
      channel: 'technical',
      urgency: 'high',
      recipients: ['bench-b'],
      subject: 'Request for information: scanning from a shared hosting range',
      description: 'Please share what you hold on the range and any abuse contact you know of.'.repeat(4),
      category: 'art2.4',
      rsit: 'intrusion-attempts',
    };
    const sendOne = async () => {
      const t0 = performance.now();
      let done!: (t: number) => void;
      const at = new Promise<number>((r) => {
        done = r;
      });
      const v = await a.node.hotline.send(input);
      if (trace) phases.send.push(performance.now() - t0);
      delivered.set(v.id, done);
      // Delivery may have been recorded before the id was known here.
      const now = await a.node.outbox.byRef(v.id);
      if (now[0]?.state === 'delivered') done(performance.now());
      const t1 = await at;
      delivered.delete(v.id);
      if (trace && posted.has(v.id)) phases.queued.push((posted.get(v.id) as number) - t0);
      return t1 - t0;
    };
    // Warm-up: JIT, statements, keys.
    await openLoop(50, sendOne);
    await openLoop(50, rawPost);

    const rows: BenchRow[] = [];
    const notes: string[] = [];
    const base = await openLoop(100, sendOne);
    const rawBase = await openLoop(100, rawPost);
    rows.push(
      {
        metric: 'send to signed receipt at 100 messages/s: p50',
        value: round(pct(base.lat, 50)),
        unit: 'ms',
        ceiling: undefined,
      },
      {
        metric: 'send to signed receipt at 100 messages/s: p99',
        value: round(pct(base.lat, 99)),
        unit: 'ms',
        target: '< 50 ms',
        pass: pct(base.lat, 99) < 50,
      },
      {
        metric: 'raw node:http POST of 2.4 KB at 100/s (ceiling): p50',
        value: round(pct(rawBase.lat, 50)),
        unit: 'ms',
      },
      {
        metric: 'raw node:http POST of 2.4 KB at 100/s (ceiling): p99',
        value: round(pct(rawBase.lat, 99)),
        unit: 'ms',
      },
    );
    let passed: number | undefined;
    for (const r of [200, 300, 400, 600, 800, 1200]) {
      const s = await openLoop(r, sendOne);
      const achieved = Math.round((s.lat.length * 1000) / s.ms);
      const p99 = pct(s.lat, 99);
      notes.push(
        `${r}/s offered, ${achieved}/s achieved: p50 ${round(pct(s.lat, 50))} ms, p99 ${round(p99)} ms`,
      );
      if (p99 > 100 || achieved < r * 0.9) {
        passed = r;
        break;
      }
    }
    rows.push({
      metric: 'sustained rate at which p99 passes 100 ms',
      value: passed ?? 1200,
      unit: passed ? 'messages/s' : 'messages/s (not reached)',
    });
    if (trace)
      for (const [k, xs] of Object.entries(phases))
        notes.push(`phase ${k}: p50 ${round(pct(xs, 50))} ms, p99 ${round(pct(xs, 99))} ms (n ${xs.length})`);
    notes.unshift(
      `B in its own process (parley serve), A in the benchmark process; SQLite on both; ${SECONDS} s per rate, open loop; 2.4 KB envelopes`,
    );
    return { name: 'hotline (send to signed receipt, SQLite, 127.0.0.1)', rows, notes };
  } finally {
    killAll();
    process.off('exit', killAll);
    await net.close().catch(() => {});
  }
}

/** Closes B in this process and serves the same data directory from a child `parley serve`. */
async function moveToChild(b: TestNode, port: string, children: ChildProcess[]): Promise<void> {
  await b.server.close();
  await b.node.close();
  const p = await child(
    ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--data', b.data, '--port', port, '--host', '127.0.0.1'],
    /listening on/,
  );
  children.push(p.p);
  // The harness closes b again at the end; make that a no-op.
  b.server.close = async () => {};
  b.node.close = async () => {};
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { formatResult } = await import('./lib.js');
  console.log(formatResult(await run()));
  process.exit(0);
}
