/** `parley send KIND` and `parley template KIND`. */
import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import { invalid } from '../../../core/index.js';
import { NOTIFICATION_STAGES, type NotificationStage, template, vocabulary } from '../../../hotline/index.js';
import type { Io } from '../../output.js';
import { collect } from '../peer-common.js';
import { hotlineOptions, langOf, reportDelivery, withHotline } from './common.js';
import { messageInput, withFlag } from './input.js';

export const SEND_KINDS = ['notification', 'rfa', 'rfi', 'inquiry', 'advisory'] as const;
const TRISTATE = ['yes', 'no', 'unknown'];

export function registerSend(program: Command, io: Io): void {
  hotlineOptions(program.command('send'))
    .description('send a hotline message to the other parties of an agreement (or those named with --to)')
    .addArgument(
      program.createArgument('<kind>', 'notification, rfa, rfi, inquiry or advisory').choices(SEND_KINDS),
    )
    .option('--file <file>', "the message's fields as JSON, or YAML (.yaml/.yml); flags override them")
    .option('--agreement <id>', 'the agreement in force the message travels under')
    .option('--to <node>', 'a recipient node (repeatable; default: every other party)', collect, [])
    .option('--channel <channel>', 'technical, formal-inquiry, crisis or law-enforcement')
    .option('--urgency <urgency>', 'critical, high, medium or low: sets the deadlines')
    .option('--category <code>', "a code of the agreement's threat taxonomy (e.g. art2.4)")
    .option('--rsit <class>', 'RSIT class within the category (e.g. intrusions)')
    .option('--subject <text>', 'one line')
    .option('--description <text>', 'the text of the message')
    .option('--sector <code>', 'an affected sector, e.g. energy (repeatable)', collect, [])
    .option('--critical-infrastructure', 'critical infrastructure is involved')
    .addOption(new Option('--malicious <tristate>', 'suspected malicious cause').choices(TRISTATE))
    .addOption(new Option('--cross-border <tristate>', 'cross-border impact').choices(TRISTATE))
    .option('--respond-within <hours>', 'the response time asked for, in hours')
    .option('--tlp <label>', "clear, green, amber, amber+strict or red (default: the agreement's)")
    .option('--pap <label>', 'clear, green, amber or red')
    .option('--language <tag>', "BCP 47 tag of the text (default: the agreement's first language)")
    .option('--stix <file>', 'STIX 2.1 objects to attach: a bundle, an array or one object')
    .option('--incident <id>', 'inc--UUID: the incident a notification belongs to (default: a new one)')
    .option('--stage <stage>', 'early-warning, notification, intermediate or final (notification)')
    .option('--exercise', 'exercise traffic: marked everywhere, kept out of statistics')
    .option('--poc <id>', "this node's point of contact who sends it")
    .option('--thread <id>', 'the thread to send into (with --reply-to)')
    .option('--reply-to <id>', 'the message this one answers')
    .action((kind, o) =>
      withHotline(io, o, async (node, s) => {
        let m: Awaited<ReturnType<typeof node.hotline.send>>;
        try {
          m = await node.hotline.send(messageInput(kind, o));
        } catch (e) {
          throw withFlag(e);
        }
        s.say('send.sent', { id: m.id, thread: m.thread });
        await reportDelivery(io, s, node, m.id);
        io.out(m.id);
      }),
    );

  program
    .command('template')
    .description('print the standard text of a message kind, to fill in (--json: a file for send --file)')
    .argument('<kind>', 'notification, rfa, rfi, inquiry, advisory, response, closure, ping, ...')
    .addOption(new Option('--stage <stage>', "a notification's stage").choices(NOTIFICATION_STAGES))
    .option('--json', 'print JSON that `parley send KIND --file` reads')
    .option('--data <dir>', "the node's data directory (for its parley.json lang)")
    .option('--lang <lang>', 'en, ru or zh (env PARLEY_LANG)')
    .action((kind, o) => {
      const lang = langOf(o);
      const v = vocabulary(lang);
      if (!Object.hasOwn(v.kinds, kind))
        throw invalid(
          'hotline.unknown_kind',
          `unknown kind "${kind}" (known: ${Object.keys(v.kinds).join(', ')})`,
          {
            field: 'kind',
          },
        );
      const k = kind as keyof typeof v.kinds;
      const stage = o.stage as NotificationStage | undefined;
      const tpl = template(k, lang, stage);
      if (o.json) {
        const fields = {
          kind: k,
          ...(k === 'notification' ? { stage: stage ?? 'early-warning' } : {}),
          language: lang,
          subject: tpl.subject,
          description: tpl.description,
        };
        return io.out(JSON.stringify(fields, null, 2));
      }
      io.out(k === 'notification' ? `${v.kinds[k]} — ${v.stages[stage ?? 'early-warning']}` : v.kinds[k]);
      io.out(`${v.fields.subject}${v.colon}${tpl.subject}`);
      io.out(`${v.fields.description}${v.colon.trimEnd()}`);
      for (const l of tpl.description.split('\n')) io.out(`  ${l}`);
    });
}
