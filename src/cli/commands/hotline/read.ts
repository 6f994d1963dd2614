/** `parley inbox`, `parley sent`, `parley message ID`, `parley thread ID`, `parley alerts`. */
import type { Command } from '@commander-js/extra-typings';
import { InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { renderMessage } from '../../../hotline/index.js';
import { awaitsAction } from '../../../http/api/hotline/index.js';
import type { Io } from '../../output.js';
import { hotlineOptions, withHotline } from './common.js';
import { alertLine, messageLine, recipientTimeline } from './format.js';

const limitOpt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  return n;
};

export function registerRead(program: Command, io: Io): void {
  hotlineOptions(program.command('inbox'))
    .description(
      'messages received that wait for this node (not acknowledged, or an answer owed); --all for every one',
    )
    .option('--all', 'every message received, newest first')
    .option('--limit <n>', 'at most this many (default 100)', limitOpt)
    .option('--json', 'print JSON')
    .action((o) =>
      withHotline(io, o, async (node, s) => {
        const all = await node.hotline.inbox({ limit: o.limit });
        const list = o.all ? all : all.filter(awaitsAction);
        if (o.json) return io.out(JSON.stringify(list, null, 2));
        if (list.length === 0) return s.say('list.empty');
        for (const m of list) io.out(messageLine(s.lang, m));
      }),
    );

  hotlineOptions(program.command('sent'))
    .description("messages sent from this node, newest first, with each recipient's state")
    .option('--limit <n>', 'at most this many (default 100)', limitOpt)
    .option('--json', 'print JSON')
    .action((o) =>
      withHotline(io, o, async (node, s) => {
        const list = await node.hotline.sent({ limit: o.limit });
        if (o.json) return io.out(JSON.stringify(list, null, 2));
        if (list.length === 0) return s.say('list.empty');
        for (const m of list) io.out(messageLine(s.lang, m));
      }),
    );

  hotlineOptions(program.command('message'))
    .description("one message, its labels in the CLI's language and its text as written, and its recipients")
    .argument('<id>', 'msg--...')
    .option('--json', 'print JSON')
    .action((id, o) =>
      withHotline(io, o, async (node, s) => {
        const m = await node.hotline.message(id);
        if (o.json) return io.out(JSON.stringify(m, null, 2));
        io.out(renderMessage(m.message, s.lang).trimEnd());
        io.out('');
        const now = node.clock.now();
        for (const r of m.recipients) io.out(recipientTimeline(s.lang, m, r, now));
      }),
    );

  hotlineOptions(program.command('thread'))
    .description(
      "a thread's timeline: each recipient's sent, delivered, acknowledged and responded times against the deadline",
    )
    .argument('<id>', 'the thread, or any message of it')
    .option('--json', 'print JSON')
    .action((id, o) =>
      withHotline(io, o, async (node, s) => {
        let threadId = id;
        // A message id names its thread too: people copy whichever id they have in front of them.
        const msg = await node.hotline.message(id).catch(() => undefined);
        if (msg) threadId = msg.thread;
        const th = await node.hotline.thread(threadId);
        if (o.json) return io.out(JSON.stringify(th, null, 2));
        s.say('thread.header', { id: th.id, subject: th.subject });
        s.say('thread.channels', { channels: th.channels.join(' → ') });
        s.say('thread.opened', { at: th.openedAt });
        if (th.closedAt) s.say('thread.closed', { at: th.closedAt, by: th.closedBy ?? '-' });
        const now = node.clock.now();
        for (const m of th.messages) {
          io.out('');
          io.out(`${m.direction === 'out' ? '→' : '←'} ${messageLine(s.lang, m)}`);
          for (const r of m.recipients) io.out(`    ${recipientTimeline(s.lang, m, r, now)}`);
        }
        if (th.alerts.length) io.out('');
        for (const a of th.alerts) io.out(`! ${alertLine(s.lang, a)}`);
      }),
    );

  hotlineOptions(program.command('alerts'))
    .description('alerts raised here (missed deadlines), sent to partners, and received from them')
    .addOption(new Option('--direction <d>', 'local, out or in').choices(['local', 'out', 'in'] as const))
    .option('--thread <id>', 'only those of one thread')
    .option('--json', 'print JSON')
    .action((o) =>
      withHotline(io, o, async (node, s) => {
        const list = await node.hotline.alerts({ direction: o.direction, thread: o.thread });
        if (o.json) return io.out(JSON.stringify(list, null, 2));
        if (list.length === 0) return s.say('alerts.empty');
        for (const a of list) io.out(alertLine(s.lang, a));
      }),
    );
}
