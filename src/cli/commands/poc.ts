/** `parley poc add|list|confirm|check|publish`: this party's points of contact and its partners'. */
import type { Command } from '@commander-js/extra-typings';
import type { PointOfContact } from '../../directory/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';
import { collect, reportDeliveries, withNode } from './peer-common.js';

export function registerPoc(program: Command, io: Io): void {
  const poc = program
    .command('poc')
    .description('points of contact: published only to the parties of agreements in force');

  nodeOptions(poc.command('add'))
    .description("add one of this party's points of contact and publish the directory to agreement partners")
    .requiredOption('--role <role>', 'policy, technical or law-enforcement')
    .requiredOption('--name <name>', 'desk or person name')
    .option('--kind <kind>', 'desk or person', 'desk')
    .option(
      '--channel <scheme:address>',
      'e.g. email:soc@cert.example, phone:+1555... (repeatable)',
      collect,
      [],
    )
    .option('--language <tag>', 'working language, BCP 47 (repeatable)', collect, [])
    .option('--timezone <tz>', 'IANA time zone', 'UTC')
    .option('--hours <hours>', '"24/7" or opening hours', '24/7')
    .option('--id <id>', 'a readable id (default: generated)')
    .action((o) =>
      withNode(o, async (node) => {
        const p = await node.peer.directory.add({
          id: o.id,
          role: o.role as PointOfContact['role'],
          kind: o.kind as PointOfContact['kind'],
          name: o.name,
          channels: o.channel,
          languages: o.language.length ? o.language : ['en'],
          timezone: o.timezone,
          hours: o.hours,
        });
        for (const x of await node.peer.directory.publish())
          reportDeliveries(io, `contacts under ${x.agreement}`, x.delivery);
        io.out(p.id);
      }),
    );

  nodeOptions(poc.command('list'))
    .description(
      "list points of contact: this node's and those its partners published; STALE when not confirmed in time",
    )
    .option('--owner <node>', 'only those of one node')
    .option('--json', 'print JSON')
    .action((o) =>
      withNode(o, async (node) => {
        const list = await node.peer.directory.list({ owner: o.owner });
        if (o.json) return io.out(JSON.stringify(list, null, 2));
        for (const p of list)
          io.out(
            `${p.owner}/${p.id}  ${p.role}  ${p.kind}  ${p.name}  ${p.channels.join(' ')}  ${p.languages.join(',')}  ${p.timezone}  ${p.hours}  confirmed ${p.confirmed_on}${p.stale ? '  STALE' : ''}`,
          );
      }),
    );

  nodeOptions(poc.command('confirm'))
    .description("confirm that one of this party's points of contact is current, and publish")
    .argument('<id>', 'the point of contact id')
    .option('--on <date>', 'YYYY-MM-DD (default today)')
    .action((id, o) =>
      withNode(o, async (node) => {
        await node.peer.directory.confirm(id, o.on);
        for (const x of await node.peer.directory.publish())
          reportDeliveries(io, `contacts under ${x.agreement}`, x.delivery);
        io.out(`confirmed ${id}`);
      }),
    );

  nodeOptions(poc.command('publish'))
    .description("send this party's points of contact to the other parties of every agreement in force")
    .action((o) =>
      withNode(o, async (node) => {
        const sent = await node.peer.directory.publish();
        for (const x of sent) reportDeliveries(io, `contacts under ${x.agreement}`, x.delivery);
        io.out(sent.length ? `published under ${sent.length} agreement(s)` : 'nothing to publish');
      }),
    );

  nodeOptions(poc.command('check'))
    .description(
      'flag stale entries and competent authorities not exchanged within 60 days of entry into force',
    )
    .action((o) =>
      withNode(o, async (node) => {
        const flags = await node.peer.directory.check();
        for (const f of flags) io.out(`${f.kind}  ${f.message}`);
        if (flags.length === 0) io.out('no flags');
        else io.exitCode = 1;
      }),
    );
}
