/**
 * Gossip over the peer protocol. A round: this node asks a peer for its head ('ledger.head', with
 * the size of the largest head of that peer it holds); the peer answers with a fresh signed head
 * and the RFC 9162 section 2.1.4.1 consistency proof from that size. This node checks it (gossip.ts);
 * on a fork it records the alert and sends the evidence to the peer ('ledger.fork'), which checks it
 * against its own log and records the alert too. Typed structurally: the ledger does not depend on
 * the HTTP layer; src/app registers the handlers on the node's inbox.
 */
import type { Transaction } from 'kysely';
import type { Schema } from '../store/index.js';
import type { Gossip, KeyedTreeHead, LedgerAlert, ObserveResult } from './gossip.js';
import type { Ledger } from './ledger.js';
import type { ConsistencyProof } from './proof.js';
import { ledgerIn } from './receipt.js';

export const GOSSIP_TYPES = { head: 'ledger.head', fork: 'ledger.fork' } as const;

export interface HeadAnswer {
  head: KeyedTreeHead;
  proof?: ConsistencyProof;
}

interface InboundLike {
  payload: unknown;
  peer: { node: string };
  tx: Transaction<Schema>;
}

/** The 'ledger.head' handler: a fresh head of this node's log and the proof from `seen`, if any. */
export function headHandler(ledger: Ledger) {
  return async (ctx: InboundLike): Promise<HeadAnswer> => {
    const l = ledgerIn(ledger, ctx.tx);
    const sth = await l.signTreeHead();
    const head = { ...sth, publicKey: l.publicKey };
    const seen = (ctx.payload as { seen?: unknown } | null)?.seen;
    // A peer that holds a head larger than this log cannot be given a proof: it will see the gap.
    if (typeof seen !== 'number' || !Number.isSafeInteger(seen) || seen <= 0 || seen > sth.treeSize) {
      return { head };
    }
    return { head, proof: await l.consistencyProof(seen, sth.treeSize) };
  };
}

/** The 'ledger.fork' handler: evidence against this node's log, checked against that log. */
export function forkHandler(ledger: Ledger, gossip: Gossip) {
  return async (ctx: InboundLike): Promise<{ confirmed: boolean; alert?: string }> => {
    const evidence = (ctx.payload as { evidence?: unknown } | null)?.evidence;
    const alert = await gossip.acceptForkEvidence(ctx.peer.node, evidence, ledgerIn(ledger, ctx.tx), ctx.tx);
    return alert ? { confirmed: true, alert: alert.id } : { confirmed: false };
  };
}

/** What a gossip round needs of the node: send one envelope to one peer and get the handler's result. */
export interface GossipTransport {
  /**
   * Sends `payload` as an envelope of `type` to `node` under `agreement` (the peer protocol admits
   * ledger envelopes only within an agreement in force); resolves with the handler's result.
   */
  ask(node: string, type: string, payload: unknown, agreement: string | null): Promise<unknown>;
  /** The peer's signing key (base64url) as registered, or undefined. */
  peerKey(node: string): Promise<string | undefined>;
}

export type RoundResult = ObserveResult & { peerConfirmed?: boolean };

/**
 * One gossip round with `node`: fetch its head with a proof from the last head held, check it,
 * and on a fork send the evidence back. The head must be signed by the peer's registered key.
 */
export async function gossipRound(
  gossip: Gossip,
  transport: GossipTransport,
  node: string,
  opts: { agreement?: string | null } = {},
): Promise<RoundResult> {
  const agreement = opts.agreement ?? null;
  const latest = await gossip.latestHead(node);
  const answer = (await transport.ask(
    node,
    GOSSIP_TYPES.head,
    {
      seen: latest?.treeSize ?? 0,
    },
    agreement,
  )) as Partial<HeadAnswer> | null;
  const key = await transport.peerKey(node);
  if (!answer?.head || answer.head.publicKey !== key) {
    return {
      ok: false,
      code: 'ledger.bad_signature',
      reason: `${node} answered with no head signed by its key`,
    };
  }
  const r = await gossip.observeHead(node, answer.head, answer.proof);
  if (r.ok || r.code !== 'ledger.fork') return r;
  const alert: LedgerAlert = r.alert;
  const back = (await transport
    .ask(node, GOSSIP_TYPES.fork, { evidence: alert.evidence }, agreement)
    .catch(() => undefined)) as { confirmed?: boolean } | undefined;
  return { ...r, peerConfirmed: back?.confirmed === true };
}
