/** Sending: seal one envelope to the named peers and post it to each (the Courier pact/ and directory/ use). */
import { type Clock, ParleyError, systemClock } from '../../core/index.js';
import {
  createEnvelope,
  encodeJsonPayload,
  fromB64u,
  type NodeIdentity,
  type SealedEnvelope,
} from '../../crypto/index.js';
import type { Courier, Delivery } from '../../pact/index.js';
import type { PeerClient } from './client.js';
import type { Peer, PeerRegistry } from './peers.js';

/** Called after each send with the envelope and what every peer answered: where the ledger logs outbound traffic. */
export type SentHook = (sealed: SealedEnvelope, deliveries: Delivery[]) => Promise<void>;

export interface MessengerOptions {
  identity: NodeIdentity;
  peers: PeerRegistry;
  client: PeerClient;
  clock?: Clock;
  ttlMs?: number;
}

export class PeerMessenger implements Courier {
  onSent?: SentHook;
  private readonly clock: Clock;

  constructor(private readonly opts: MessengerOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Seals `payload` (JSON) to confirmed peers; throws peer.unknown naming the first that is not. */
  async seal(input: { to: readonly string[]; type: string; agreement: string | null; payload: unknown }) {
    const peers: Peer[] = [];
    for (const node of input.to) peers.push(await this.opts.peers.require(node));
    const sealed = createEnvelope({
      identity: this.opts.identity,
      type: input.type,
      recipients: peers.map((p) => ({ node: p.node, key: fromB64u(p.agreementKey, 32)! })),
      agreement: input.agreement,
      payload: encodeJsonPayload(input.payload),
      clock: this.clock,
      ttlMs: this.opts.ttlMs,
    });
    return { sealed, peers };
  }

  async send(input: { to: readonly string[]; type: string; agreement: string | null; payload: unknown }) {
    const { sealed, peers } = await this.seal(input);
    return this.deliver(sealed, peers);
  }

  /** Posts one sealed envelope to each peer in turn; a failure is reported per peer, never thrown. */
  async deliver(sealed: SealedEnvelope, peers: readonly Peer[]): Promise<Delivery[]> {
    const out: Delivery[] = [];
    for (const p of peers) {
      try {
        const a = await this.opts.client.send(p, sealed.bytes);
        out.push({
          node: p.node,
          ok: true,
          receipt: a.receipt,
          ...(a.result === undefined ? {} : { result: a.result }),
        });
      } catch (e) {
        if (!(e instanceof ParleyError)) throw e;
        out.push({ node: p.node, ok: false, code: e.code, message: e.message, status: e.status });
      }
    }
    await this.onSent?.(sealed, out);
    return out;
  }
}
