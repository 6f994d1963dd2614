/**
 * `parley consult schedule|list|show|attach|minutes|verify` and `parley consult measure
 * add|done|cancel|list`: consultations under an agreement, shared with its other parties.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import type { Node } from '../../app/index.js';
import {
  type ConsultationView,
  DOCUMENT_KINDS,
  type DocumentKind,
  guessKind,
  type MeasureView,
} from '../../consult/index.js';
import { invalid } from '../../core/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';
import { collect, withNode } from './peer-common.js';

/** Delivers what the change queued (one pass) and says per party what became of it. */
async function report(io: Io, node: Node, entry: string): Promise<void> {
  await node.outbox.pass();
  for (const i of await node.outbox.byRef(entry)) {
    if (i.state === 'delivered') io.err(`consult: delivered to ${i.peer}`);
    else if (i.state === 'refused') {
      io.err(`parley: consult: refused by ${i.peer}: ${i.lastError ?? '-'}`);
      io.exitCode = 1;
    } else io.err(`consult: queued for ${i.peer}, will retry${i.lastError ? ` (${i.lastError})` : ''}`);
  }
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid('consult.invalid', `--file ${file} is not JSON: ${(e as Error).message}`, {
      field: 'file',
    });
  }
}

const measureLine = (m: MeasureView) =>
  `${m.id}  ${m.state}${m.overdue ? '  OVERDUE' : ''}  due ${m.due}  owner ${m.owner}  ${m.title}  (added by ${m.signedBy.node}${m.updates.length ? `, last change by ${m.updatedBy} ${m.updatedAt}` : ''})`;

function printConsultation(io: Io, v: ConsultationView): void {
  io.out(`${v.id}  ${v.title}`);
  io.out(`agreement ${v.agreement}  date ${v.date}  scheduled by ${v.signedBy.node} at ${v.signedBy.at}`);
  if (v.participants.length) io.out(`participants: ${v.participants.join('; ')}`);
  for (const [i, a] of v.agenda.entries()) io.out(`agenda ${i + 1}. ${a}`);
  for (const d of v.documents)
    io.out(
      `document ${d.id}  ${d.kind}  ${d.title}  sha256 ${d.sha256}  by ${d.signedBy.node}${d.reportKey ? `  report signed by key ${d.reportKey}` : ''}`,
    );
  const cur = v.minutes.at(-1);
  if (cur) {
    io.out(`minutes v${cur.version} of ${v.minutes.length}, by ${cur.signedBy.node} at ${cur.signedBy.at}:`);
    for (const line of cur.text.split('\n')) io.out(`  ${line}`);
  }
  for (const m of v.measures) io.out(`measure ${measureLine(m)}`);
}

export function registerConsult(program: Command, io: Io): void {
  const consult = program
    .command('consult')
    .description('consultations under an agreement: schedule, documents, minutes, joint measures');

  nodeOptions(consult.command('schedule'))
    .description('schedule a consultation under an agreement in force and tell its other parties')
    .requiredOption('--agreement <id>', 'the agreement')
    .requiredOption('--title <text>', 'what the consultation is')
    .requiredOption('--date <date>', 'YYYY-MM-DD or an RFC 3339 UTC time')
    .option('--agenda <item>', 'an agenda item (repeatable, in order)', collect, [])
    .option('--participant <name>', 'a delegation or person taking part (repeatable)', collect, [])
    .action((o) =>
      withNode(o, async (node) => {
        const c = await node.consultations.schedule({
          agreement: o.agreement,
          title: o.title,
          date: o.date,
          agenda: o.agenda,
          participants: o.participant,
        });
        await report(io, node, c.entry);
        io.out(c.consultation.id);
      }),
    );

  nodeOptions(consult.command('list'))
    .description('list consultations with their documents, minutes and open or overdue measures')
    .option('--agreement <id>', 'only those of one agreement')
    .option('--json', 'print JSON')
    .action((o) =>
      withNode(o, async (node) => {
        const list = await node.consultations.list({ agreement: o.agreement });
        if (o.json) return io.out(JSON.stringify(list, null, 2));
        if (list.length === 0) return io.out('no consultations');
        for (const c of list)
          io.out(
            `${c.id}  ${c.date}  ${c.title}  (${c.agreement}, by ${c.scheduledBy})  documents ${c.documents}  minutes v${c.minutesVersions}  open measures ${c.openMeasures}${c.overdueMeasures ? `  OVERDUE ${c.overdueMeasures}` : ''}`,
          );
      }),
    );

  nodeOptions(consult.command('show'))
    .description(
      'one consultation: agenda, documents, current minutes, measures (--json: with who signed each)',
    )
    .argument('<id>', 'the consultation (cons-...)')
    .option('--json', 'print JSON, documents with their content')
    .action((id, o) =>
      withNode(o, async (node) => {
        const v = await node.consultations.show(id, { content: !!o.json });
        if (o.json) io.out(JSON.stringify(v, null, 2));
        else printConsultation(io, v);
      }),
    );

  nodeOptions(consult.command('attach'))
    .description('attach a compliance report (JSON) or a STIX report (report object or bundle)')
    .argument('<id>', 'the consultation')
    .requiredOption('--file <file>', 'the document, JSON')
    .option('--kind <kind>', `${DOCUMENT_KINDS.join(' or ')} (default: STIX when it is a report or bundle)`)
    .option('--title <text>', 'a title (default: the file name)')
    .action((id, o) =>
      withNode(o, async (node) => {
        const content = await readJson(o.file);
        if (o.kind !== undefined && !DOCUMENT_KINDS.includes(o.kind as DocumentKind))
          throw invalid('consult.invalid', `--kind must be ${DOCUMENT_KINDS.join(' or ')}`, {
            field: 'kind',
          });
        const c = await node.consultations.attachDocument(id, {
          kind: (o.kind as DocumentKind | undefined) ?? guessKind(content),
          title: o.title ?? o.file.split(/[\\/]/).pop()!,
          content,
        });
        await report(io, node, c.entry);
        io.out(c.document);
      }),
    );

  nodeOptions(consult.command('minutes'))
    .description('record a new version of the minutes (the whole text), signed by this party')
    .argument('<id>', 'the consultation')
    .option('--file <file>', 'the text, from a file')
    .option('--text <text>', 'the text')
    .action((id, o) =>
      withNode(o, async (node) => {
        if ((o.file === undefined) === (o.text === undefined))
          throw invalid('consult.invalid', 'give the minutes with exactly one of --file and --text', {
            field: 'text',
          });
        const text = o.text ?? (await readFile(o.file!, 'utf8'));
        const c = await node.consultations.recordMinutes(id, text);
        await report(io, node, c.entry);
        io.out(`minutes v${c.version}`);
      }),
    );

  nodeOptions(consult.command('verify'))
    .description('check again the signature of every stored entry of a consultation')
    .argument('<id>', 'the consultation')
    .action((id, o) =>
      withNode(o, async (node) => {
        const r = await node.consultations.verify(id);
        for (const e of r.bad) io.out(`BAD SIGNATURE  ${e}`);
        io.out(`${r.entries - r.bad.length} of ${r.entries} entries verify`);
        if (r.bad.length) io.exitCode = 1;
      }),
    );

  const measure = consult.command('measure').description('joint measures: owner party, due day, state');

  nodeOptions(measure.command('add'))
    .description('add a joint measure agreed at a consultation')
    .argument('<id>', 'the consultation')
    .requiredOption('--title <text>', 'what is to be done')
    .requiredOption('--owner <node>', 'the party (node id) that carries it out')
    .requiredOption('--due <day>', 'YYYY-MM-DD')
    .action((id, o) =>
      withNode(o, async (node) => {
        const c = await node.consultations.addMeasure(id, { title: o.title, owner: o.owner, due: o.due });
        await report(io, node, c.entry);
        io.out(c.measure);
      }),
    );

  for (const [name, state] of [
    ['done', 'done'],
    ['cancel', 'cancelled'],
    ['reopen', 'open'],
  ] as const)
    nodeOptions(measure.command(name))
      .description(`mark a joint measure ${state} and tell the other parties`)
      .argument('<measure>', 'the measure (jm-...)')
      .option('--note <text>', 'what was done, or why')
      .action((id, o) =>
        withNode(o, async (node) => {
          const c = await node.consultations.updateMeasure(id, { state, note: o.note });
          await report(io, node, c.entry);
          io.out(measureLine(c.measure));
        }),
      );

  nodeOptions(measure.command('list'))
    .description('list joint measures; with --overdue the status is 1 when any is overdue')
    .option('--consultation <id>', 'of one consultation')
    .option('--agreement <id>', 'of one agreement')
    .option('--owner <node>', 'owned by one party')
    .option('--overdue', 'only those open past their due day')
    .option('--json', 'print JSON')
    .action((o) =>
      withNode(o, async (node) => {
        const list = await node.consultations.measures({
          consultation: o.consultation,
          agreement: o.agreement,
          owner: o.owner,
          overdue: o.overdue,
        });
        if (o.json) io.out(JSON.stringify(list, null, 2));
        else if (list.length === 0) io.out('no measures');
        else for (const m of list) io.out(measureLine(m));
        if (o.overdue && list.length > 0) io.exitCode = 1;
      }),
    );
}
