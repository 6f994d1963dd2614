/**
 * The sender's side of delivery: outbox listeners that run in the transaction marking an item
 * delivered (or refused), recording the recipient's state with the envelope and its signed receipt.
 */
import { type HotlineContext, nowIso } from './context.js';
import { pingDelivered, pingRefused } from './ping-records.js';
import { getMessage, recordRecipient } from './records.js';
import { HOTLINE_ENVELOPE } from './types.js';
import { HOTLINE_ALERT_ENVELOPE } from './wire.js';

export function registerSettled(c: HotlineContext): void {
  c.outbox.onSettled(HOTLINE_ENVELOPE, async (tx, item, outcome) => {
    if (!item.ref) return;
    const at = nowIso(c);
    const m = await getMessage(tx, item.ref);
    if (!m) return;
    if (outcome.ok) {
      const answer = outcome.answer as { receipt?: unknown } | null;
      const deliveredAt = item.deliveredAt ?? at;
      const state = await recordRecipient(
        tx,
        item.ref,
        item.peer,
        'delivered',
        {
          delivered_at: deliveredAt,
          envelope_id: outcome.envelopeId,
          envelope_hash: outcome.envelopeHash,
          receipt: answer?.receipt === undefined ? null : JSON.stringify(answer.receipt),
          error: null,
        },
        at,
      );
      if (m.kind === 'ping') await pingDelivered(c, tx, item.ref, deliveredAt);
      const probe = async () =>
        (
          await c.database.db
            .selectFrom('hotline_recipients')
            .select('envelope_id')
            .where('message_id', '=', item.ref!)
            .where('recipient', '=', item.peer)
            .executeTakeFirst()
        )?.envelope_id === outcome.envelopeId;
      if (state)
        c.events.afterCommit(probe, 'state', {
          message: item.ref,
          thread: m.thread,
          recipient: item.peer,
          state,
          at: deliveredAt,
        });
    } else {
      const error = `${outcome.code}: ${outcome.message}`.slice(0, 1000);
      await recordRecipient(tx, item.ref, item.peer, null, { error }, at);
      if (m.kind === 'ping') await pingRefused(c, tx, item.ref, error);
      const probe = async () =>
        (
          await c.database.db
            .selectFrom('hotline_recipients')
            .select('error')
            .where('message_id', '=', item.ref!)
            .where('recipient', '=', item.peer)
            .executeTakeFirst()
        )?.error === error;
      c.events.afterCommit(probe, 'state', {
        message: item.ref,
        thread: m.thread,
        recipient: item.peer,
        state: 'queued',
        at,
        error,
      });
    }
  });
  c.outbox.onSettled(HOTLINE_ALERT_ENVELOPE, async (tx, item, outcome) => {
    if (!item.ref || !outcome.ok) return;
    await tx
      .updateTable('hotline_alerts')
      .set({ delivered_at: item.deliveredAt ?? nowIso(c) })
      .where('id', '=', item.ref)
      .execute();
  });
}
