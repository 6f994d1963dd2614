/**
 * Renderings of a report: JSON (the signed document, with its evidence), CSV (one line per figure
 * field), Markdown and self-contained HTML (tables per measure, inline SVG charts of the trend; no
 * external asset, so the file can be handed over as it is).
 */
import type { ComplianceReport, TrendPoint } from './report.js';

export const FORMATS = ['json', 'csv', 'md', 'html'] as const;
export type Format = (typeof FORMATS)[number];

type Row = { id: string; evidence: number[] } & Record<string, unknown>;

const TABLES: [string, (r: ComplianceReport) => Row[]][] = [
  ['Responsiveness', (r) => r.real.responsiveness as unknown as Row[]],
  ['Communication checks: pings', (r) => r.real.pings as unknown as Row[]],
  ['Competent authorities exchanged', (r) => r.checks.authorities as unknown as Row[]],
  ['Stale directory entries', (r) => r.checks.stale as unknown as Row[]],
  ['Information exchange', (r) => r.real.exchange as unknown as Row[]],
  ['Reciprocity', (r) => r.real.reciprocity as unknown as Row[]],
  ['Availability', (r) => r.real.availability as unknown as Row[]],
  ['Exercise: responsiveness', (r) => r.exercise.responsiveness as unknown as Row[]],
  ['Exercise: pings', (r) => r.exercise.pings as unknown as Row[]],
  ['Exercise: availability', (r) => r.exercise.availability as unknown as Row[]],
];

/** A cell: summaries and shares flattened, durations in hours with two decimals. */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v))
    return v.map((x) => (typeof x === 'object' && x ? Object.values(x).join(' ') : String(x))).join('; ');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('median' in o)
      return o.count === 0
        ? 'n=0'
        : `n=${o.count} med=${hours(o.median)} p90=${hours(o.p90)} max=${hours(o.max)}`;
    if ('share' in o)
      return `${o.within}/${o.of}${o.share === null ? '' : ` (${Math.round(Number(o.share) * 1000) / 10}%)`}`;
    return JSON.stringify(o);
  }
  return String(v);
}
const hours = (ms: unknown) => (typeof ms === 'number' ? `${(ms / 3_600_000).toFixed(2)}h` : '-');
const columns = (rows: Row[]) => (rows[0] ? Object.keys(rows[0]).filter((k) => k !== 'evidence') : []);

export function render(r: ComplianceReport, format: Format): string {
  if (format === 'json') return JSON.stringify(r);
  if (format === 'csv') return csv(r);
  if (format === 'md') return markdown(r);
  return html(r);
}

const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function csv(r: ComplianceReport): string {
  const lines = ['section,figure,field,value,evidence'];
  for (const [name, get] of TABLES)
    for (const row of get(r))
      for (const k of columns([row]))
        if (k !== 'id') lines.push([name, row.id, k, cell(row[k]), row.evidence.join(' ')].map(q).join(','));
  return `${lines.join('\n')}\n`;
}

const head = (r: ComplianceReport) =>
  `Compliance report of ${r.node}, agreement ${r.agreement}, period ${r.period.id} ` +
  `(${r.period.start} to ${r.period.end}), as of ${r.asOf}; ledger size ${r.ledger.size}`;

function markdown(r: ComplianceReport): string {
  const out = [`# ${head(r)}`, ''];
  for (const [name, get] of TABLES) {
    const rows = get(r);
    out.push(`## ${name}`, '');
    if (rows.length === 0) {
      out.push('(none)', '');
      continue;
    }
    const cols = columns(rows);
    out.push(`| ${cols.join(' | ')} | evidence |`, `|${cols.map(() => '---|').join('')}---|`);
    for (const row of rows)
      out.push(
        `| ${cols.map((c) => cell(row[c]).replace(/\|/g, '\\|')).join(' | ')} | ${evidence(row.evidence)} |`,
      );
    out.push('');
  }
  out.push(
    '## Trend',
    '',
    '| period | messages | ack within | pings acked | shared | received | reachability |',
  );
  out.push('|---|---|---|---|---|---|---|');
  for (const t of r.trend)
    out.push(
      `| ${t.period} | ${t.messages} | ${pct(t.ackWithinShare)} | ${t.pingsAcknowledged}/${t.pingsSent} | ${t.objectsShared} | ${t.objectsReceived} | ${pct(t.reachability)} |`,
    );
  return `${out.join('\n')}\n`;
}

const pct = (v: number | null) => (v === null ? '-' : `${Math.round(v * 1000) / 10}%`);
const evidence = (e: number[]) =>
  e.length > 8 ? `${e.slice(0, 8).join(' ')} ... (${e.length})` : e.join(' ');
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A bar chart of one trend series, inline SVG. */
function chart(
  title: string,
  points: TrendPoint[],
  value: (t: TrendPoint) => number | null,
  label: (v: number) => string,
): string {
  const w = 80;
  const h = 120;
  const vals = points.map(value);
  const max = Math.max(1e-9, ...vals.map((v) => v ?? 0));
  const bars = points
    .map((t, i) => {
      const v = vals[i] ?? null;
      const bh = v === null ? 0 : Math.round((v / max) * (h - 30));
      const x = 10 + i * w;
      return (
        `<rect x="${x}" y="${h - 15 - bh}" width="${w - 20}" height="${bh}" fill="#4a6fa5"/>` +
        `<text x="${x + (w - 20) / 2}" y="${h - 2}" font-size="10" text-anchor="middle">${esc(t.period)}</text>` +
        `<text x="${x + (w - 20) / 2}" y="${h - 18 - bh}" font-size="10" text-anchor="middle">${v === null ? '-' : esc(label(v))}</text>`
      );
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${20 + points.length * w}" height="${h}" role="img">${bars}</svg></figure>`;
}

function html(r: ComplianceReport): string {
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(head(r))}</title>`,
    '<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #bbb;padding:3px 6px;font-size:12px;text-align:left}figure{display:inline-block;margin:0 2em 1em 0}.ex{background:#fff3cd;padding:4px}</style>',
    `</head><body><h1>${esc(head(r))}</h1>`,
    `<p>Signed by ${esc(r.node)} (Ed25519 key ${esc(r.publicKey)}). Every figure lists the ledger entries it was computed from; the JSON form carries them with their hashes and receipts.</p>`,
    '<h2>Trend</h2>',
    chart(
      'Messages',
      r.trend,
      (t) => t.messages,
      (v) => String(v),
    ),
    chart(
      'Acknowledged within deadline',
      r.trend,
      (t) => t.ackWithinShare,
      (v) => pct(v),
    ),
    chart(
      'Pings acknowledged',
      r.trend,
      (t) => t.pingsAcknowledged,
      (v) => String(v),
    ),
    chart(
      'Objects shared',
      r.trend,
      (t) => t.objectsShared,
      (v) => String(v),
    ),
    chart(
      'Objects received',
      r.trend,
      (t) => t.objectsReceived,
      (v) => String(v),
    ),
    chart(
      'Reachability',
      r.trend,
      (t) => t.reachability,
      (v) => pct(v),
    ),
  ];
  for (const [name, get] of TABLES) {
    const rows = get(r);
    parts.push(`<h2${name.startsWith('Exercise') ? ' class="ex"' : ''}>${esc(name)}</h2>`);
    if (rows.length === 0) {
      parts.push('<p>(none)</p>');
      continue;
    }
    const cols = columns(rows);
    parts.push(`<table><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}<th>evidence</th></tr>`);
    for (const row of rows)
      parts.push(
        `<tr>${cols.map((c) => `<td>${esc(cell(row[c]))}</td>`).join('')}<td>${esc(evidence(row.evidence))}</td></tr>`,
      );
    parts.push('</table>');
  }
  parts.push('</body></html>');
  return `${parts.join('\n')}\n`;
}
