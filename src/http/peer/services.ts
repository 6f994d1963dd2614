/**
 * Everything a node needs to talk to its peers, built from its database and identity: the peer
 * registry, the HTTP client, the messenger (outbound), the inbox (inbound) with the handlers of the
 * agreement and directory protocols, and the HTTP plugin. The composition root (src/app) builds one
 * per node; other parts add inbound handlers with `inbox.on(type, ...)` and a ledger sets
 * `inbox.receiptHook` and `messenger.onSent`.
 */
import { type Clock, isoMillis, systemClock } from '../../core/index.js';
import { type EnvelopeLimits, type NodeIdentity, signDescriptor } from '../../crypto/index.js';
import { Directory } from '../../directory/index.js';
import { PACT_TYPES, Pacts } from '../../pact/index.js';
import type { Database } from '../../store/index.js';
import type { HttpPlugin } from '../server.js';
import { PeerClient } from './client.js';
import { PeerInbox } from './inbox.js';
import { PeerMessenger } from './messenger.js';
import { PeerRegistry } from './peers.js';
import { rotationDocument } from './rotation.js';
import { AutoFollower } from './rotation-follow.js';
import { peerPlugin } from './routes.js';

export interface PeerServices {
  peers: PeerRegistry;
  client: PeerClient;
  messenger: PeerMessenger;
  inbox: PeerInbox;
  pacts: Pacts;
  directory: Directory;
  /** The /peer/v1/ routes for the node's HTTP server. */
  plugin(): HttpPlugin;
}

export interface PeerServicesOptions {
  database: Database;
  identity: NodeIdentity;
  party: string;
  clock?: Clock;
  limits?: Partial<EnvelopeLimits>;
  timeoutMs?: number;
  /** The fetch the client uses (tests route it to other nodes' inboxes in-process). */
  fetch?: typeof fetch;
}

export function createPeerServices(opts: PeerServicesOptions): PeerServices {
  const clock = opts.clock ?? systemClock;
  const peers = new PeerRegistry(opts.database, clock);
  const client = new PeerClient({ timeoutMs: opts.timeoutMs, fetch: opts.fetch });
  const messenger = new PeerMessenger({ identity: opts.identity, peers, client, clock });
  const pacts = new Pacts({
    database: opts.database,
    identity: opts.identity,
    party: opts.party,
    clock,
    courier: messenger,
  });
  const directory = new Directory({
    database: opts.database,
    identity: opts.identity,
    pacts,
    clock,
    courier: messenger,
  });
  const inbox = new PeerInbox({
    database: opts.database,
    identity: opts.identity,
    peers,
    agreementCheck: (tx) => pacts.agreementCheck(tx),
    clock,
    limits: opts.limits,
  });
  const sender = (c: { opened: { envelope: { sender: { node: string } } } }) => c.opened.envelope.sender.node;
  inbox
    .on(PACT_TYPES.proposal, (c) => pacts.receiveProposal(c.tx, sender(c), c.payload))
    .on(PACT_TYPES.signature, (c) => pacts.receiveSignature(c.tx, sender(c), c.payload))
    .on(PACT_TYPES.state, (c) => pacts.receiveState(c.tx, sender(c), c.payload))
    .on(PACT_TYPES.directory, (c) =>
      directory.receiveUpdate(c.tx, sender(c), c.opened.envelope.agreement, c.payload),
    )
    // A communication check: proves the path, the keys and (with an agreement) that it is in force.
    .on('peer.ping', async () => ({ pong: isoMillis(clock.now()) }));
  // Key rotation: follow a peer's chain when its envelope arrives with a key not yet confirmed.
  const follower = new AutoFollower({ database: opts.database, peers, clock, fetch: opts.fetch });
  return {
    peers,
    client,
    messenger,
    inbox,
    pacts,
    directory,
    plugin: () =>
      peerPlugin({
        inbox,
        descriptor: (base) => signDescriptor(opts.identity, { party: opts.party, endpoints: [base], clock }),
        // Key rotation: serve this node's chain (rotation.ts).
        rotations: () => rotationDocument(opts.database, opts.identity.nodeId),
        onUnknownSender: (node) => void follower.trigger(node),
      }),
  };
}
