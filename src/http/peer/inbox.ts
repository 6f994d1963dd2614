/**
 * The inbound half of the peer protocol. One envelope is received in ONE database transaction:
 * open it (every check of docs/PROTOCOL.md section 7, the replay guard last, all against this
 * transaction), hand it to the handler of its type, then to the receipt hook (where the ledger
 * appends the envelope and signs a receipt). If anything throws, the transaction rolls back: a
 * refused envelope leaves nothing behind, not even its id in the replay guard.
 */
import type { Transaction } from 'kysely';
import { type Clock, isoMillis, ParleyError, systemClock } from '../../core/index.js';
import {
  type AgreementCheck,
  canonicalBytes,
  decodeJsonPayload,
  type EnvelopeLimits,
  KeyObjectCache,
  type NodeIdentity,
  type OpenedEnvelope,
  openEnvelope,
  sign,
  signingInput,
  toB64u,
  toHex,
} from '../../crypto/index.js';
import type { Database, Schema } from '../../store/index.js';
import type { Peer, PeerRegistry } from './peers.js';
import { StoreReplayGuard } from './store-replay-guard.js';

export interface InboundContext {
  opened: OpenedEnvelope;
  /** The payload decoded as JSON. */
  payload: unknown;
  /** The sending peer (confirmed). */
  peer: Peer;
  /** The receiving transaction: write through it, never through the database handle. */
  tx: Transaction<Schema>;
}

/** Handles one envelope type; what it returns goes back to the sender as `result`. */
export type InboundHandler = (ctx: InboundContext) => Promise<unknown>;

/** Makes the receipt for an accepted envelope, inside the same transaction (the ledger's hook). */
export type ReceiptHook = (ctx: InboundContext & { result: unknown }) => Promise<unknown>;

export interface Accepted {
  id: string;
  hash: string;
  result?: unknown;
  receipt: unknown;
}

export const RECEIPT_CONTEXT = 'parley/receipt/v1';

export interface PeerInboxOptions {
  database: Database;
  identity: NodeIdentity;
  peers: PeerRegistry;
  /** The agreement layer's answers, bound to the receiving transaction. */
  agreementCheck(tx: Transaction<Schema>): AgreementCheck;
  clock?: Clock;
  limits?: Partial<EnvelopeLimits>;
}

export class PeerInbox {
  private readonly handlers = new Map<string, InboundHandler>();
  private readonly keyCache = new KeyObjectCache();
  private readonly clock: Clock;
  private nextPrune = 0;
  /** Replaced by the ledger; the default signs a receipt without a log position. */
  receiptHook: ReceiptHook;

  constructor(private readonly opts: PeerInboxOptions) {
    this.clock = opts.clock ?? systemClock;
    this.receiptHook = (ctx) => Promise.resolve(this.basicReceipt(ctx.opened));
  }

  /** Registers the handler of one envelope type (e.g. 'hotline.message'); one per type. */
  on(type: string, handler: InboundHandler): this {
    if (this.handlers.has(type))
      throw new ParleyError('peer.duplicate_handler', `a handler for ${type} exists`, 500);
    this.handlers.set(type, handler);
    return this;
  }

  get limits(): Partial<EnvelopeLimits> {
    return this.opts.limits ?? {};
  }

  /** Receives the wire bytes of one envelope; resolves with the receipt, or throws the refusal. */
  async receive(bytes: Uint8Array): Promise<Accepted> {
    return this.opts.database.transaction(async (tx) => {
      const now = this.clock.now();
      const guard = new StoreReplayGuard(tx, this.clock);
      if (now >= this.nextPrune) {
        await guard.prune();
        this.nextPrune = now + 60_000;
      }
      const opened = await openEnvelope(bytes, {
        identity: this.opts.identity,
        resolveSender: (node) => this.opts.peers.signingKeys(node, tx),
        seenIds: guard,
        agreementCheck: this.opts.agreementCheck(tx),
        clock: this.clock,
        limits: this.opts.limits,
        keyCache: this.keyCache,
      });
      const e = opened.envelope;
      const handler = this.handlers.get(e.type);
      if (!handler)
        throw new ParleyError(
          'peer.unsupported_type',
          `this node does not accept envelopes of type ${e.type}`,
          400,
          { id: e.id },
        );
      let payload: unknown;
      try {
        payload = decodeJsonPayload(opened.payload);
      } catch {
        throw new ParleyError('peer.bad_payload', `the payload of envelope ${e.id} is not UTF-8 JSON`, 400, {
          id: e.id,
        });
      }
      const peer = (await this.opts.peers.get(e.sender.node, tx))!;
      const ctx: InboundContext = { opened, payload, peer, tx };
      const result = await handler(ctx);
      const receipt = await this.receiptHook({ ...ctx, result });
      return { id: e.id, hash: toHex(opened.hash), ...(result === undefined ? {} : { result }), receipt };
    });
  }

  /** A receipt signed by this node: which envelope (by hash), from whom, when. */
  private basicReceipt(opened: OpenedEnvelope) {
    const body = {
      type: 'parley.receipt',
      v: 1,
      envelope: opened.envelope.id,
      hash: toHex(opened.hash),
      sender: opened.envelope.sender.node,
      recipient: this.opts.identity.nodeId,
      received: isoMillis(this.clock.now()),
      key: toB64u(this.opts.identity.signing.publicKey),
    };
    const sig = sign(this.opts.identity.signing, signingInput(RECEIPT_CONTEXT, canonicalBytes(body)));
    return { ...body, sig: toB64u(sig) };
  }
}
