/**
 * Ties the ledger's gossip (src/ledger/gossip-exchange.ts) to a node's peer services: the inbound
 * handlers, and the transport a gossip round sends through (sealed envelopes, logged like any other).
 */
import type { PeerServices } from '../http/peer/index.js';
import type { RoundResult } from '../ledger/index.js';
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

/** What one scheduled round came to with one partner. */
export interface PartnerRound {
  peer: string;
  agreement: string;
  result: RoundResult | { ok: false; code: string; reason: string };
}

/**
 * One gossip round with every partner of every agreement in force (once per partner, under the
 * first agreement shared with it): their heads are checked against the heads held, so a forked log
 * is seen without anyone asking. A partner that cannot be reached is reported, never thrown.
 */
export async function gossipWithPartners(
  self: string,
  agreements: () => Promise<{ id: string; doc: { parties: { node: string }[] } }[]>,
  round: (peer: string, agreement: string) => Promise<RoundResult>,
): Promise<PartnerRound[]> {
  const seen = new Set<string>();
  const out: PartnerRound[] = [];
  for (const a of await agreements()) {
    for (const p of a.doc.parties) {
      if (p.node === self || seen.has(p.node)) continue;
      seen.add(p.node);
      try {
        out.push({ peer: p.node, agreement: a.id, result: await round(p.node, a.id) });
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'ledger.gossip_failed';
        out.push({
          peer: p.node,
          agreement: a.id,
          result: { ok: false, code, reason: (e as Error).message },
        });
      }
    }
  }
  return out;
}
