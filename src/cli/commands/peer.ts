/** `parley peer add|list|remove`: the nodes this node talks to, each confirmed by its fingerprint. */
import type { Command } from '@commander-js/extra-typings';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';
import { withNode } from './peer-common.js';

export function registerPeer(program: Command, io: Io): void {
  const peer = program.command('peer').description('peer nodes: add (with their fingerprint), list, remove');

  nodeOptions(peer.command('add'))
    .description(
      'add a peer: fetch its descriptor from URL and check it against the fingerprint its operator read to you',
    )
    .argument('<url>', "the peer node's base URL, e.g. https://parley.cert-b.example")
    .requiredOption(
      '--fingerprint <fp>',
      'the 30-digit fingerprint (`parley whoami --fingerprint` on the peer)',
    )
    .action((url, o) =>
      withNode(o, async (node) => {
        const d = await node.peer.client.fetchDescriptor(url);
        const p = await node.peer.peers.add(url, d, o.fingerprint, node.identity.nodeId);
        io.out(`added peer ${p.node} (${p.party}) at ${p.url}, fingerprint ${p.fingerprint}`);
      }),
    );

  nodeOptions(peer.command('list'))
    .description('list peers: node id, party, URL, fingerprint')
    .action((o) =>
      withNode(o, async (node) => {
        for (const p of await node.peer.peers.list())
          io.out(`${p.node}  ${p.status}  ${p.url}  ${p.fingerprint}  ${p.party}`);
      }),
    );

  nodeOptions(peer.command('remove'))
    .description('remove a peer (by node id or URL); its envelopes are refused from then on')
    .argument('<peer>', 'node id or URL')
    .action((which, o) =>
      withNode(o, async (node) => {
        const p = await node.peer.peers.remove(which);
        io.out(`removed peer ${p.node} (${p.url})`);
      }),
    );
}
