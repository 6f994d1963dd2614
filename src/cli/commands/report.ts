/**
 * `parley report --agreement ID --period 2026-Q3 [--format html|json|csv|md] [--out FILE]`: the
 * signed compliance report of an agreement; `parley report verify REPORT.json`: recompute it from
 * this node's ledger and list every figure and entry where the evidence disagrees (docs/COMPLIANCE.md).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { openNode } from '../../app/index.js';
import { FORMATS, type Format, parsePeriod, render, type VerifyResult } from '../../compliance/index.js';
import { invalid, loadConfig } from '../../core/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';

function printVerify(io: Io, r: VerifyResult): void {
  io.out(`signer       ${r.signer}: signature ${r.signatureOk ? 'ok' : 'BAD or key unknown'}`);
  io.out(
    r.ledger.ok
      ? `ledger       ok: ${r.ledger.size} entries`
      : `ledger       entry ${r.ledger.problem!.index} is bad (${r.ledger.problem!.kind}): ${r.ledger.problem!.message}`,
  );
  for (const f of r.figures) {
    const refs = [
      ...f.reportedEntries.map((e) => `reported #${e.idx} ${e.hash.slice(0, 12)}`),
      ...f.localEntries.map((e) => `here #${e.idx} ${e.hash.slice(0, 12)}`),
    ];
    io.out(
      `figure       ${f.figure} ${f.field}: reported ${JSON.stringify(f.reported)}, recomputed ${JSON.stringify(f.recomputed)}${refs.length ? ` [${refs.slice(0, 6).join(', ')}${refs.length > 6 ? ', ...' : ''}]` : ''}`,
    );
  }
  for (const e of r.entries) io.out(`entry        ${e.problem}: ${e.message}`);
  for (const p of r.rows) io.out(`row          ${p.table} ${p.key} ${p.field}: ${p.message}`);
  io.out(r.ok ? 'ok: every figure recomputes and the evidence agrees' : 'DISAGREES: see above');
}

export function registerReport(program: Command, io: Io): void {
  const report = nodeOptions(program.command('report'))
    .description('the signed compliance report of an agreement over a period, from the ledger')
    .option('--agreement <id>', 'the agreement reported on')
    .option(
      '--period <period>',
      'a month (2026-07), quarter (2026-Q3), year (2026) or days (2026-07-01..2026-08-15)',
    )
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'json')
    .option('--trend <n>', 'earlier periods in the trend', '4')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (o) => {
      if (!o.agreement)
        throw invalid('compliance.no_agreement', 'report: --agreement is required', { field: 'agreement' });
      if (!o.period)
        throw invalid('compliance.bad_period', 'report: --period is required', { field: 'period' });
      if (!(FORMATS as readonly string[]).includes(o.format))
        throw invalid('compliance.bad_format', `report: --format must be one of ${FORMATS.join(', ')}`, {
          field: 'format',
        });
      const trend = Number(o.trend);
      if (!Number.isInteger(trend) || trend < 0 || trend > 24)
        throw invalid('compliance.bad_trend', 'report: --trend must be an integer from 0 to 24', {
          field: 'trend',
        });
      const period = parsePeriod(o.period);
      const node = await openNode(loadConfig({ dataDir: o.data, db: o.db }));
      try {
        const r = await node.compliance.report({ agreement: o.agreement, period, trend });
        const text = render(r, o.format as Format);
        if (o.out) await writeFile(o.out, text);
        else io.out(text.trimEnd());
      } finally {
        await node.close();
      }
    });

  nodeOptions(report.command('verify'))
    .description("recompute a report from this node's ledger and list where the evidence disagrees")
    .argument('<report>', 'the report, JSON (as `parley report --format json` writes it)')
    .option('--json', 'print the result as JSON')
    .action(async (file, o) => {
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        throw invalid(
          'compliance.bad_report',
          `report ${file} cannot be read as JSON: ${(e as Error).message}`,
          {
            field: 'report',
          },
        );
      }
      // `report verify FILE --data D`: commander may hand --data to the parent command, which has it too.
      const parent = report.opts();
      const node = await openNode(loadConfig({ dataDir: o.data ?? parent.data, db: o.db ?? parent.db }));
      try {
        const r = await node.compliance.verify(doc);
        if (o.json) io.out(JSON.stringify(r, null, 1));
        else printVerify(io, r);
        if (!r.ok) io.exitCode = 1;
      } finally {
        await node.close();
      }
    });
}
