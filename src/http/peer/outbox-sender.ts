/**
 * The outbox's sender over the peer protocol: seals the item to its one peer at each attempt (so an
 * envelope never expires while it waits) and posts it through the messenger, whose sent hook logs
 * it in the ledger and keeps the receipt. Decides what is worth retrying.
 */
import { ParleyError } from '../../core/index.js';
import { toHex } from '../../crypto/index.js';
import type { OutboxSender, SendOutcome } from '../../outbox/index.js';
import type { PeerMessenger } from './messenger.js';

/**
 * Refusals that time or the other side's operator can cure: retried. Every other 4xx means the
 * peer read the envelope and will refuse it again, so the item ends as refused.
 */
const CURABLE = new Set([
  'envelope.not_yet_valid',
  'envelope.expired',
  'envelope.unknown_sender',
  'envelope.agreement_not_in_force',
  'envelope.sender_not_in_agreement',
  'peer.unreachable',
  'peer.bad_response',
]);

export const retryable = (code: string | undefined, status: number | undefined): boolean =>
  status === undefined ||
  status >= 500 ||
  status === 408 ||
  status === 425 ||
  status === 429 ||
  CURABLE.has(code ?? '');

export function outboxSender(messenger: PeerMessenger): OutboxSender {
  return {
    async send(item): Promise<SendOutcome> {
      let sealed: Awaited<ReturnType<PeerMessenger['seal']>>;
      try {
        sealed = await messenger.seal({
          to: [item.peer],
          type: item.type,
          agreement: item.agreement,
          payload: item.payload,
        });
      } catch (e) {
        // peer.unknown and the like: this node cannot address the peer until an operator acts.
        if (!(e instanceof ParleyError)) throw e;
        return { ok: false, retry: true, code: e.code, message: e.message };
      }
      const [d] = await messenger.deliver(sealed.sealed, sealed.peers);
      if (!d) throw new ParleyError('outbox.no_delivery', 'the messenger reported no delivery', 500);
      if (d.ok)
        return {
          ok: true,
          envelopeId: sealed.sealed.envelope.id,
          envelopeHash: toHex(sealed.sealed.hash),
          answer: { receipt: d.receipt, ...(d.result === undefined ? {} : { result: d.result }) },
        };
      const code = d.code ?? 'peer.refused';
      return { ok: false, retry: retryable(code, d.status), code, message: d.message ?? code };
    },
  };
}
