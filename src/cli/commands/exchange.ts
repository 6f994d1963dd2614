/**
 * `parley exchange status|sync|pull`: the threat-intel link with agreement partners
 * (docs/EXCHANGE.md). The running server pushes on its own; these show where each feed stands and
 * make a push or a pull happen now, from this process.
 */
import type { Command } from '@commander-js/extra-typings';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';
import { withNode } from './peer-common.js';

export function registerExchange(program: Command, io: Io): void {
  const ex = program
    .command('exchange')
    .description('threat-intel exchange with agreement partners: status, sync (push now), pull');

  nodeOptions(ex.command('status'))
    .description(
      'each feed (partner, agreement): objects waiting, items queued, last acknowledged, held from it',
    )
    .option('--peer <node>', 'only this partner')
    .option('--json', 'print JSON')
    .action((o) =>
      withNode(o, async (node) => {
        const feeds = await node.exchange.status({ peer: o.peer });
        if (o.json) return io.out(JSON.stringify(feeds, null, 2));
        if (feeds.length === 0) return io.out('no feeds: no agreement in force with a partner');
        for (const f of feeds)
          io.out(
            `${f.peer}  agreement ${f.agreement}  waiting ${f.waiting}  queued ${f.queued}  ` +
              `last acknowledged ${f.lastSent ?? 'never'}  received ${f.received}`,
          );
      }),
    );

  nodeOptions(ex.command('sync'))
    .description('push now: queue what each feed has past its cursor and deliver it from this process')
    .option('--peer <node>', 'only this partner')
    .action((o) =>
      withNode(o, async (node) => {
        const r = await node.exchange.sync({ peer: o.peer });
        io.out(
          `queued ${r.queued} feed(s): ${r.delivered} batch(es) delivered with receipts, ` +
            `${r.skipped} with nothing to send, ${r.retrying} to retry, ${r.refused} refused`,
        );
        if (r.retrying > 0 || r.refused > 0) io.exitCode = 1;
      }),
    );

  nodeOptions(ex.command('pull'))
    .description('ask a partner for what this node has not received; it answers by pushing')
    .requiredOption('--peer <node>', 'the partner to ask')
    .option('--agreement <id>', 'only under this agreement')
    .action((o) =>
      withNode(o, async (node) => {
        const r = await node.exchange.pull(o.peer, o.agreement);
        if (r.length === 0) {
          io.err(`parley: no agreement in force with ${o.peer}`);
          io.exitCode = 1;
          return;
        }
        for (const x of r)
          io.out(
            `${o.peer}  agreement ${x.agreement}: ${x.pending ? 'has news, pushing it now' : 'nothing new'}`,
          );
      }),
    );
}
