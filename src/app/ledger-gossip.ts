/**
 * Ties the ledger's gossip (src/ledger/gossip-exchange.ts) to a node's peer services: the inbound
 * handlers, and the transport a gossip round sends through (sealed envelopes, logged like any other).
 */
import type { PeerServices } from '../http/peer/index.js';
import {
  forkHandler,
  GOSSIP_TYPES,
  type Gossip,
  type GossipTransport,
  headHandler,
  type Ledger,
} from '../ledger/index.js';

export function registerGossip(peer: PeerServices, ledger: Ledger, gossip: Gossip): void {
  peer.inbox.on(GOSSIP_TYPES.head, headHandler(ledger)).on(GOSSIP_TYPES.fork, forkHandler(ledger, gossip));
}

export function gossipTransport(peer: PeerServices): GossipTransport {
  return {
    async ask(node, type, payload, agreement) {
      const { sealed, peers } = await peer.messenger.seal({ to: [node], type, agreement, payload });
      const answer = await peer.client.send(peers[0]!, sealed.bytes);
      // Logged and its receipt kept like every other envelope sent (the messenger's hook).
      await peer.messenger.onSent?.(sealed, [{ node, ok: true, receipt: answer.receipt }]);
      return answer.result;
    },
    peerKey: async (node) => (await peer.peers.get(node))?.signingKey,
  };
}
