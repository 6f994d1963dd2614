/** `parley agreement propose|sign|show|list|join|suspend|resume|terminate`. */
import { readFile } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { invalid } from '../../core/index.js';
import type { PeerServices } from '../../http/peer/index.js';
import { type AgreementTerms, type AgreementView, partyFrom, stateLabel } from '../../pact/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';
import { collect, reportDeliveries, withNode } from './peer-common.js';

async function partiesFor(peer: PeerServices, refs: string[]) {
  const out = [];
  for (const ref of refs) {
    const p = await peer.peers.find(ref);
    if (p?.status !== 'confirmed')
      throw invalid(
        'peer.unknown',
        `${ref} is not a confirmed peer; first run \`parley peer add ${ref} --fingerprint FP\``,
      );
    out.push(
      partyFrom({ node: p.node, party: p.party, signingKey: p.signingKey, agreementKey: p.agreementKey }),
    );
  }
  return out;
}

async function readTerms(file: string | undefined, title: string | undefined): Promise<AgreementTerms> {
  let terms: AgreementTerms = {};
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw invalid('pact.file', `cannot read ${file}: ${(e as Error).message}`);
    }
    try {
      terms = JSON.parse(text) as AgreementTerms;
    } catch (e) {
      throw invalid('pact.file', `${file} is not JSON: ${(e as Error).message}`);
    }
    if (typeof terms !== 'object' || terms === null || Array.isArray(terms))
      throw invalid('pact.file', `${file} must hold a JSON object of agreement terms`);
  }
  return title ? { ...terms, title } : terms;
}

function printView(io: Io, v: AgreementView): void {
  const state = v.state === 'in_force' && !v.effective ? 'in force (not yet effective)' : stateLabel(v.state);
  io.out(`agreement  ${v.id}`);
  io.out(`title      ${v.title}`);
  io.out(`state      ${state}`);
  if (v.versionInForce > 0) io.out(`in force   version ${v.versionInForce} since ${v.inForceAt}`);
  const doc = v.inForce ?? v.latest.doc;
  for (const p of doc.parties) io.out(`party      ${p.node} (${p.party})`);
  if (v.latest.version !== v.versionInForce) {
    io.out(
      `pending    version ${v.latest.version}: signed by ${v.latest.signedBy.join(', ') || 'nobody'}; waiting for ${v.latest.missing.join(', ')}`,
    );
  }
  io.out(`channels   ${doc.channels.join(', ')}`);
  io.out(`languages  ${doc.languages.join(', ')}`);
  io.out(`sharing    default ${doc.sharing.default_tlp ?? 'none (unmarked objects are not shared)'}`);
  for (const d of doc.deadlines)
    io.out(
      `deadline   ${d.message_type} ${d.urgency}: acknowledge ${d.acknowledge_hours} h, respond ${d.respond_hours} h`,
    );
  for (const e of v.events) io.out(`event      ${e.at} ${e.event} v${e.version} by ${e.by_node}`);
}

export function registerAgreement(program: Command, io: Io): void {
  const ag = program
    .command('agreement')
    .description('agreements: propose, sign, show, join, suspend, resume, terminate');

  nodeOptions(ag.command('propose'))
    .description("propose an agreement to peers and sign it; prints the new agreement's id on the last line")
    .requiredOption(
      '--with <peer>',
      'a party: peer URL or node id (repeat for a multilateral agreement)',
      collect,
      [],
    )
    .option('--title <text>', 'the title')
    .option(
      '--file <agreement.json>',
      'terms: channels, sharing, deadlines, languages, taxonomy, entry_into_force, ...',
    )
    .action((o) =>
      withNode(o, async (node) => {
        const parties = await partiesFor(node.peer, o.with);
        const terms = await readTerms(o.file, o.title);
        const r = await node.peer.pacts.propose({ with: parties, terms });
        reportDeliveries(io, 'proposal', r.delivery);
        io.out(r.id);
      }),
    );

  nodeOptions(ag.command('sign'))
    .description('sign the newest version of an agreement and send the signature to the other parties')
    .argument('<id>', 'the agreement id')
    .action((id, o) =>
      withNode(o, async (node) => {
        const r = await node.peer.pacts.sign(id);
        reportDeliveries(io, 'signature', r.delivery);
        // An agreement that has just entered into force gets this node's points of contact.
        if (r.view.state === 'in_force' && r.view.effective) {
          for (const p of await node.peer.directory.publish())
            reportDeliveries(io, `contacts under ${p.agreement}`, p.delivery);
        }
        io.out(
          `signed version ${r.version} of ${id}; state ${stateLabel(r.view.state)}${r.view.latest.missing.length ? `, waiting for ${r.view.latest.missing.join(', ')}` : ''}`,
        );
      }),
    );

  nodeOptions(ag.command('show'))
    .description(
      'show an agreement: its state (proposed, in force, suspended, terminated), parties, terms, history',
    )
    .argument('<id>', 'the agreement id')
    .option('--json', 'print the full record as JSON')
    .action((id, o) =>
      withNode(o, async (node) => {
        const v = await node.peer.pacts.show(id);
        if (o.json) io.out(JSON.stringify(v, null, 2));
        else printView(io, v);
      }),
    );

  nodeOptions(ag.command('list'))
    .description('list agreements and their states')
    .action((o) =>
      withNode(o, async (node) => {
        for (const v of await node.peer.pacts.list())
          io.out(`${v.id}  ${stateLabel(v.state)}  v${v.versionInForce}  ${v.title}`);
      }),
    );

  nodeOptions(ag.command('join'))
    .description(
      'propose that peers accede to an agreement in force: a new version that every party, old and new, must sign',
    )
    .argument('<id>', 'the agreement id')
    .requiredOption('--with <peer>', 'the acceding party: peer URL or node id (repeatable)', collect, [])
    .action((id, o) =>
      withNode(o, async (node) => {
        const r = await node.peer.pacts.join(id, await partiesFor(node.peer, o.with));
        reportDeliveries(io, 'accession', r.delivery);
        io.out(`proposed version ${r.version} of ${id}; it takes effect when every party has signed`);
        io.out(id);
      }),
    );

  for (const [name, state, what] of [
    [
      'suspend',
      'suspended',
      'suspend an agreement: new envelopes under it are refused; every record is kept',
    ],
    ['resume', 'in_force', 'resume a suspended agreement'],
    ['terminate', 'terminated', 'terminate an agreement (final); every record is kept'],
  ] as const) {
    nodeOptions(ag.command(name))
      .description(what)
      .argument('<id>', 'the agreement id')
      .action((id, o) =>
        withNode(o, async (node) => {
          const r = await node.peer.pacts.setState(id, state);
          reportDeliveries(io, name, r.delivery);
          io.out(`${id} ${stateLabel(state)}`);
        }),
      );
  }
}
