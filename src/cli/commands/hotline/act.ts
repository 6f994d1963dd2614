/** `parley ack ID`, `parley respond ID`, `parley close THREAD`, `parley deadlines`. */
import type { Command, OptionValues } from '@commander-js/extra-typings';
import { type MessageInput, vocabulary } from '../../../hotline/index.js';
import { replySubject } from '../../../http/api/hotline/index.js';
import type { Io } from '../../output.js';
import { hotlineOptions, reportDelivery, withHotline } from './common.js';
import { readStix, withFlag } from './input.js';

type Reply = Omit<MessageInput, 'agreement' | 'kind'>;

/** The options a response and a closure share. */
function replyOptions<Args extends unknown[], Opts extends OptionValues>(cmd: Command<Args, Opts>) {
  return cmd
    .option('--subject <text>', 'one line (default: the standard subject with the one answered)')
    .option('--description <text>', 'the text')
    .option('--channel <channel>', "default: the thread's current channel")
    .option('--stix <file>', 'STIX 2.1 objects to attach')
    .option('--poc <id>', "this node's point of contact who sends it");
}

const reply = (o: {
  subject?: string;
  description?: string;
  channel?: string;
  stix?: string;
  poc?: string;
}): Reply => {
  const r: Record<string, unknown> = {
    subject: o.subject,
    description: o.description,
    channel: o.channel,
    stix: o.stix ? readStix(o.stix) : undefined,
    from: o.poc,
  };
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Reply;
};

export function registerAct(program: Command, io: Io): void {
  hotlineOptions(program.command('ack'))
    .description(
      "acknowledge a message received, as one of this node's points of contact; the sender is told (signed)",
    )
    .argument('<id>', 'msg--...')
    .requiredOption('--poc <id>', 'the point of contact of this node who has the message in hand')
    .action((id, o) =>
      withHotline(io, o, async (node, s) => {
        await node.hotline.ack(id, { poc: o.poc });
        s.say('ack.done', { id, poc: o.poc });
        await reportDelivery(io, s, node, `ack:${id}`);
      }),
    );

  replyOptions(hotlineOptions(program.command('respond')))
    .description('answer a message received, in its thread, to its sender')
    .argument('<id>', 'msg--...')
    .action((id, o) =>
      withHotline(io, o, async (node, s) => {
        const body = reply(o);
        body.subject ??= replySubject('response', (await node.hotline.message(id)).message);
        let m: Awaited<ReturnType<typeof node.hotline.respond>>;
        try {
          m = await node.hotline.respond(id, body);
        } catch (e) {
          throw withFlag(e);
        }
        s.say('respond.done', { id, response: m.id });
        await reportDelivery(io, s, node, m.id);
        io.out(m.id);
      }),
    );

  replyOptions(hotlineOptions(program.command('close')))
    .description('close a thread: every other node in it is sent a closure')
    .argument('<thread>', 'the thread (the id of its first message)')
    .action((thread, o) =>
      withHotline(io, o, async (node, s) => {
        const body = reply(o);
        if (body.subject === undefined) {
          const th = await node.hotline.thread(thread);
          body.subject = replySubject('closure', {
            subject: th.subject,
            language: th.messages[0]?.message.language ?? 'en',
          });
        }
        let m: Awaited<ReturnType<typeof node.hotline.close>>;
        try {
          m = await node.hotline.close(thread, body);
        } catch (e) {
          throw withFlag(e);
        }
        s.say('close.done', { thread, id: m.id });
        await reportDelivery(io, s, node, m.id);
        io.out(m.id);
      }),
    );

  hotlineOptions(program.command('deadlines'))
    .description(
      'check deadlines once: escalate every missed acknowledgement, alert on missed answers, fail late pings',
    )
    .action((o) =>
      withHotline(io, o, async (node, s) => {
        const r = await node.hotline.checkDeadlines();
        const v = vocabulary(s.lang);
        for (const e of r.escalations) {
          const vars = { message: e.message, recipient: e.recipient, from: v.channels[e.from] };
          if (e.to && e.resent)
            s.say('deadlines.escalated', {
              ...vars,
              to: v.channels[e.to as keyof typeof v.channels],
              resent: e.resent,
            });
          else s.say('deadlines.top', vars);
        }
        for (const x of r.responses)
          s.say('deadlines.response_missed', { message: x.message, recipient: x.recipient });
        for (const p of r.pingsFailed) s.say('deadlines.ping_failed', { id: p });
        if (r.escalations.length + r.responses.length + r.pingsFailed.length === 0) s.say('deadlines.none');
        // What the escalations enqueued (alerts, re-sent messages) goes out now, or from the server.
        await node.outbox.pass();
      }),
    );
}
