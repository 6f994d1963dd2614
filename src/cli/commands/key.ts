/**
 * `parley key rotate|follow|chain`: key rotation. `rotate` hands this node over to new keys with a
 * statement signed by the old and the new key; `follow PEER` moves a peer to its new keys only if
 * its chain starts from the key confirmed for it (docs/PROTOCOL.md "Key rotation").
 */
import type { Command } from '@commander-js/extra-typings';
import { followPeerRotations, rotateNodeKeys, rotationChain } from '../../http/peer/index.js';
import type { Io } from '../output.js';
import { nodeOptions } from './common.js';
import { withNode } from './peer-common.js';

export function registerKey(program: Command, io: Io): void {
  const key = program.command('key').description("key rotation: rotate this node's keys, follow a peer's");

  nodeOptions(key.command('rotate'))
    .description(
      'make new signing and agreement keys, signed over by the current ones (old key files kept in keys/previous-N); restart the node afterwards',
    )
    .action((o) =>
      withNode(o, async (node) => {
        const r = await rotateNodeKeys(node.config.dataDir, node.database, { clock: node.clock });
        io.err(`rotation ${r.seq}: old keys kept in ${r.previousDir}; restart the node to use the new keys`);
        io.out(r.fingerprint);
      }),
    );

  nodeOptions(key.command('follow'))
    .description("fetch a peer's rotation chain and move it to its new keys if the chain is valid")
    .argument('<peer>', 'node id or URL')
    .action((which, o) =>
      withNode(o, async (node) => {
        const r = await followPeerRotations(
          { database: node.database, peers: node.peer.peers, clock: node.clock },
          which,
        );
        if (!r.ok) {
          io.err(`parley: ${r.node}'s rotation chain refused, old keys kept: ${r.message} [${r.code}]`);
          io.exitCode = 1;
          return;
        }
        io.out(
          r.steps === 0
            ? `${r.node}: no new keys (fingerprint ${r.fingerprint})`
            : `${r.node}: followed ${r.steps} rotation(s), new fingerprint ${r.fingerprint}`,
        );
      }),
    );

  nodeOptions(key.command('chain'))
    .description("print this node's rotation statements (JSON, oldest first)")
    .action((o) =>
      withNode(o, async (node) => {
        io.out(JSON.stringify(await rotationChain(node.database), null, 2));
      }),
    );
}
