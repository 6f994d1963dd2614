/** Ping-test rows moved by delivery and acknowledgement (called inside the transaction that learns it). */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/index.js';
import { type HotlineContext, nowIso } from './context.js';

type Db = Kysely<Schema>;

const pingOf = (tx: Db, message: string) =>
  tx.selectFrom('hotline_pings').selectAll().where('message_id', '=', message).executeTakeFirst();

export async function pingDelivered(c: HotlineContext, tx: Db, message: string, at: string): Promise<void> {
  await tx
    .updateTable('hotline_pings')
    .set({ delivered_at: at, updated_at: nowIso(c) })
    .where('message_id', '=', message)
    .where('delivered_at', 'is', null)
    .execute();
}

/** A refused ping cannot be delivered: it fails at once (reported by the next deadline check). */
export async function pingRefused(c: HotlineContext, tx: Db, message: string, why: string): Promise<void> {
  await tx
    .updateTable('hotline_pings')
    .set({ outcome: 'failed', reason: `not deliverable: ${why}`.slice(0, 500), updated_at: nowIso(c) })
    .where('message_id', '=', message)
    .where('outcome', '=', 'pending')
    .execute();
}

/**
 * The POC acknowledged: passed if within the ping's deadline. An acknowledgement after the ping
 * failed is recorded with its time; the outcome stays failed.
 */
export async function pingAcknowledged(
  c: HotlineContext,
  tx: Db,
  message: string,
  ackAt: string,
  poc: string,
): Promise<void> {
  const p = await pingOf(tx, message);
  if (!p || p.acknowledged_at !== null) return;
  const ackMs = Date.parse(ackAt) - Date.parse(p.sent_at);
  const inTime = p.ack_due === null || Date.parse(ackAt) <= Number(p.ack_due);
  const passed = p.outcome === 'pending' && inTime;
  await tx
    .updateTable('hotline_pings')
    .set({
      acknowledged_at: ackAt,
      ack_ms: ackMs,
      ack_poc: poc,
      delivered_at: p.delivered_at ?? ackAt,
      outcome: passed ? 'passed' : p.outcome === 'pending' ? 'failed' : p.outcome,
      reason: passed ? null : (p.reason ?? 'acknowledged after the deadline'),
      updated_at: nowIso(c),
    })
    .where('id', '=', p.id)
    .execute();
  const probe = async () =>
    (
      await c.database.db
        .selectFrom('hotline_pings')
        .select('acknowledged_at')
        .where('id', '=', p.id)
        .executeTakeFirst()
    )?.acknowledged_at === ackAt;
  c.events.afterCommit(probe, 'ping', {
    id: p.id,
    owner: p.owner_node,
    poc: p.poc_id,
    outcome: passed ? 'passed' : 'failed',
    ackMs,
  });
}
