/** `parley ping schedule|run|results`: ping tests of partners' points of contact (the directory manager's). */
import type { Command } from '@commander-js/extra-typings';
import { InvalidArgumentError } from '@commander-js/extra-typings';
import { type PingView, type StringKey, t } from '../../../hotline/index.js';
import type { Io } from '../../output.js';
import { collect } from '../peer-common.js';
import { hotlineOptions, type Speaker, withHotline } from './common.js';

const days = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of days');
  return n;
};

function pingLine(s: Speaker, p: PingView): string {
  const outcome: StringKey =
    p.outcome === 'pending' ? 'ping.pending' : p.outcome === 'passed' ? 'ping.passed' : 'ping.failed';
  let line = `${p.sentAt}  ${p.id}  ${tOf(s, 'ping.line', { owner: p.owner, poc: p.poc, outcome: tOf(s, outcome) })}`;
  if (p.ackMs !== null)
    line += `  ${tOf(s, 'ping.acked_in', { min: Math.round(p.ackMs / 6_000) / 10, by: p.ackPoc ?? p.poc })}`;
  if (p.reason) line += `  (${p.reason})`;
  return line;
}

const tOf = (s: Speaker, key: StringKey, vars?: Record<string, string | number>) => t(s.lang, key, vars);

export function registerPing(program: Command, io: Io): void {
  const ping = program
    .command('ping')
    .description("ping tests of partners' points of contact: a check each must acknowledge in time");

  hotlineOptions(ping.command('schedule'))
    .description(
      'show the schedule, or set it: every DAYS (default 182) for every partner POC or those named',
    )
    .option('--every <days>', 'days between tests', days)
    .option(
      '--poc <selector>',
      'a point of contact, "owner/id" or "id" (repeatable; default: all)',
      collect,
      [],
    )
    .option('--next <time>', 'RFC 3339 time of the next test (default: now + the period)')
    .action((o) =>
      withHotline(io, o, async (node, s) => {
        const set = o.every !== undefined || o.poc.length > 0 || o.next !== undefined;
        const sch = set
          ? await node.hotline.schedulePings({
              every: o.every,
              pocs: o.poc.length ? o.poc : undefined,
              next: o.next,
            })
          : await node.hotline.pingSchedule();
        if (!sch) return s.say('ping.no_schedule');
        s.say('ping.schedule', {
          days: sch.everyDays,
          who: sch.pocs ? sch.pocs.join(', ') : tOf(s, 'ping.everyone'),
          next: sch.nextAt,
          last: sch.lastRun ?? tOf(s, 'ping.never'),
        });
      }),
    );

  hotlineOptions(ping.command('run'))
    .description('run a ping test now, of every partner POC or those named; results come as they acknowledge')
    .option(
      '--poc <selector>',
      'a point of contact, "owner/id" or "id" (repeatable; default: all)',
      collect,
      [],
    )
    .option('--exercise', 'mark the pings as exercise traffic')
    .action((o) =>
      withHotline(io, o, async (node, s) => {
        const r = await node.hotline.runPings({
          pocs: o.poc.length ? o.poc : undefined,
          exercise: o.exercise,
        });
        s.say('ping.run', { run: r.run, n: r.pings.length });
        await node.outbox.pass();
        const now = await node.hotline.pingResults({ run: r.run });
        for (const p of now.pings) io.out(pingLine(s, p));
        io.out(r.run);
      }),
    );

  hotlineOptions(ping.command('results'))
    .description(
      'results of the latest ping test, or of one run: passed, failed, pending, time to acknowledge',
    )
    .option('--run <id>', 'a run id printed by `parley ping run`')
    .option('--json', 'print JSON')
    .action((o) =>
      withHotline(io, o, async (node, s) => {
        const r = await node.hotline.pingResults({ run: o.run });
        if (o.json) return io.out(JSON.stringify(r, null, 2));
        if (!r.run) return s.say('ping.none');
        s.say('ping.summary', { run: r.run, passed: r.passed, failed: r.failed, pending: r.pending });
        for (const p of r.pings) io.out(pingLine(s, p));
        if (r.failed > 0) io.exitCode = 1;
      }),
    );
}
