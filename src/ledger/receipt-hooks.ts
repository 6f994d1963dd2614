/**
 * The ledger on the peer path: the inbound hook logs each accepted envelope in the receiving
 * transaction and answers with a receipt; the outbound hook logs each delivered envelope, checks
 * the receipt that came back and keeps it. Typed structurally so the ledger does not depend on the
 * HTTP layer; src/app sets them as `inbox.receiptHook` and `messenger.onSent`.
 */
import type { Transaction } from 'kysely';
import type { Schema } from '../store/index.js';
import { toHex } from './hash.js';
import type { Ledger } from './ledger.js';
import { checkReceipt, ledgerIn, makeReceipt, type Receipt } from './receipt.js';
import { receiptStore } from './receipt-store.js';

interface EnvelopeLike {
  type: string;
  agreement: string | null;
  sender: { node: string };
}

/** What the inbox hands its receipt hook (src/http/peer/inbox.ts InboundContext). */
export interface InboundLike {
  opened: { envelope: EnvelopeLike; hash: Uint8Array };
  tx: Transaction<Schema>;
}

/** What the messenger hands its sent hook (SealedEnvelope and pact's Delivery). */
export interface SentLike {
  envelope: EnvelopeLike;
  hash: Uint8Array;
}
export interface DeliveryLike {
  node: string;
  ok: boolean;
  receipt?: unknown;
}

const KIND_RE = /^[a-z][a-z0-9._-]{0,63}$/;
/** The entry kind is the envelope type where it fits the entry's pattern. */
const kindOf = (type: string) => (KIND_RE.test(type) ? type : 'message');

/**
 * The inbox hook: appends the 'in' entry (once per envelope: a re-delivery gets the receipt of the
 * first logging) and returns the signed receipt. A failure rolls back the whole receipt transaction.
 */
export function inboundReceiptHook(ledger: Ledger, recipient: string) {
  return async (ctx: InboundLike): Promise<Receipt> => {
    const l = ledgerIn(ledger, ctx.tx);
    const e = ctx.opened.envelope;
    const [entry] = await l.appendIn(
      ctx.tx,
      [
        {
          envelopeHash: toHex(ctx.opened.hash),
          direction: 'in',
          peerNodeId: e.sender.node,
          agreementId: e.agreement,
          kind: kindOf(e.type),
        },
      ],
      { once: true },
    );
    return makeReceipt(l, entry!, { recipient });
  };
}

export interface SentHookOptions {
  /** The peer's signing key (raw Ed25519, base64url), or undefined if unknown. */
  peerKey(node: string): Promise<string | undefined>;
  /** Told about a receipt that does not check (kept nowhere; the delivery still happened). */
  onBadReceipt?(node: string, code: string, reason: string): void;
}

/**
 * The messenger hook: one 'out' entry per peer that accepted the envelope, and each receipt that
 * checks against that peer's key kept for `parley ledger prove`.
 */
export function outboundSentHook(ledger: Ledger, opts: SentHookOptions) {
  const store = receiptStore(ledger.database);
  return async (sealed: SentLike, deliveries: readonly DeliveryLike[]): Promise<void> => {
    const hash = toHex(sealed.hash);
    const delivered = deliveries.filter((d) => d.ok);
    if (delivered.length === 0) return;
    await ledger.appendMany(
      delivered.map((d) => ({
        envelopeHash: hash,
        direction: 'out' as const,
        peerNodeId: d.node,
        agreementId: sealed.envelope.agreement,
        kind: kindOf(sealed.envelope.type),
      })),
    );
    for (const d of delivered) {
      const key = await opts.peerKey(d.node);
      const r = key
        ? checkReceipt(d.receipt, key, hash)
        : {
            ok: false as const,
            code: 'ledger.receipt_wrong_key',
            reason: `no signing key known for ${d.node}`,
          };
      if (r.ok && (d.receipt as Receipt).recipient !== d.node) {
        opts.onBadReceipt?.(d.node, 'ledger.receipt_wrong_recipient', `the receipt names another node`);
      } else if (r.ok) await store.keepReceipt(d.receipt as Receipt);
      else opts.onBadReceipt?.(d.node, r.code, r.reason);
    }
  };
}
