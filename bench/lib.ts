/**
 * What a benchmark returns. Every figure that has a ceiling (a raw driver, raw crypto, raw
 * node:http) measured in the same run carries the ratio to it, because the machines are shared and
 * noisy: ratios hold where absolute numbers do not.
 */
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** The same work done the fastest way we know, measured in the same run. */
  ceiling?: number;
  /** Target as a ratio of the ceiling (0.5 = 50%), or as an absolute bound when no ceiling. */
  target?: string;
  pass?: boolean;
}

export interface BenchResult {
  name: string;
  rows: BenchRow[];
  notes?: string[];
}

export const rate = (n: number, ms: number): number => Math.round((n * 1000) / ms);

/** Peak resident memory of this process so far, in MiB (Linux: VmHWM). */
export async function peakRssMiB(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const s = await readFile('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(s);
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {}
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

export function formatResult(r: BenchResult): string {
  const lines = [
    `### ${r.name}`,
    '',
    '| metric | value | ceiling | ratio | target | |',
    '|---|---:|---:|---:|---|---|',
  ];
  for (const row of r.rows) {
    const ratio = row.ceiling ? `${((row.value / row.ceiling) * 100).toFixed(0)}%` : '';
    const mark = row.pass === undefined ? '' : row.pass ? 'met' : 'NOT met';
    lines.push(
      `| ${row.metric} | ${row.value.toLocaleString('en')} ${row.unit} | ${row.ceiling?.toLocaleString('en') ?? ''} | ${ratio} | ${row.target ?? ''} | ${mark} |`,
    );
  }
  for (const n of r.notes ?? []) lines.push('', `- ${n}`);
  return lines.join('\n');
}
