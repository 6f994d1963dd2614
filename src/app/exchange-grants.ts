/**
 * Wires the hotline's received permission grants into the threat-intel exchange: the hotline's
 * handler of `hotline.message` is registered through this wrapper, which, once the hotline has
 * checked and stored a `permission-grant` with `granted: true`, hands the grant to the exchange in
 * the same receiving transaction (so the message and the grant are kept together or not at all).
 * The envelope's sender, whose signature the inbox checked, is who the exchange holds to the grant.
 */
import type { Exchange } from '../exchange/index.js';
import { HOTLINE_ENVELOPE, type HotlineInbox, type HotlineMessage } from '../hotline/index.js';

export function withExchangeGrants(inbox: HotlineInbox, exchange: Pick<Exchange, 'addGrant'>): HotlineInbox {
  return {
    on: (type, handler) =>
      inbox.on(
        type,
        type !== HOTLINE_ENVELOPE
          ? handler
          : async (ctx) => {
              const result = await handler(ctx);
              const m = (ctx.payload as { message?: Partial<HotlineMessage> } | null)?.message;
              const p = m?.permission;
              if (m?.kind === 'permission-grant' && p?.granted === true && ctx.opened.envelope.agreement)
                await exchange.addGrant(
                  {
                    id: String(m.id),
                    grantedBy: String(m.sender?.node),
                    agreement: ctx.opened.envelope.agreement,
                    objectRefs: p.object_refs,
                    shareWith: p.share_with,
                    tlp: p.tlp,
                  },
                  { from: ctx.opened.envelope.sender.node, tx: ctx.tx },
                );
              return result;
            },
      ),
  };
}
