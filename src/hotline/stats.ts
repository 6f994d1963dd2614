/**
 * Responsiveness of the parties this node writes to, from the messages it sent. Exercise traffic
 * and pings (which have their own results) never count.
 */
import type { HotlineContext } from './context.js';

export interface PartyStats {
  node: string;
  messages: number;
  acknowledged: number;
  withinDeadline: number;
  overDeadline: number;
  /** Median time to acknowledge, ms, or null with no acknowledgement. */
  medianAckMs: number | null;
}

export interface HotlineStats {
  sent: number;
  received: number;
  byRecipient: PartyStats[];
}

export async function stats(c: HotlineContext): Promise<HotlineStats> {
  const db = c.database.db;
  const rows = await db
    .selectFrom('hotline_recipients as r')
    .innerJoin('hotline_messages as m', 'm.id', 'r.message_id')
    .select(['r.recipient', 'r.ack_due', 'r.acknowledged_at', 'm.created'])
    .where('m.direction', '=', 'out')
    .where('m.exercise', '=', 0)
    .where('m.kind', '!=', 'ping')
    .execute();
  const count = async (direction: string) =>
    Number(
      (
        await db
          .selectFrom('hotline_messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('direction', '=', direction)
          .where('exercise', '=', 0)
          .where('kind', '!=', 'ping')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const by = new Map<string, { rows: typeof rows }>();
  for (const r of rows) {
    const e = by.get(r.recipient) ?? { rows: [] };
    e.rows.push(r);
    by.set(r.recipient, e);
  }
  const byRecipient = [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([node, { rows: rs }]) => {
      const acked = rs.filter((r) => r.acknowledged_at !== null);
      const times = acked
        .map((r) => Date.parse(r.acknowledged_at!) - Date.parse(r.created))
        .sort((a, b) => a - b);
      const within = acked.filter(
        (r) => r.ack_due !== null && Date.parse(r.acknowledged_at!) <= Number(r.ack_due),
      );
      const mid =
        times.length === 0
          ? null
          : times.length % 2
            ? times[(times.length - 1) / 2]!
            : (times[times.length / 2 - 1]! + times[times.length / 2]!) / 2;
      return {
        node,
        messages: rs.length,
        acknowledged: acked.length,
        withinDeadline: within.length,
        overDeadline: acked.filter((r) => r.ack_due !== null).length - within.length,
        medianAckMs: mid,
      };
    });
  return { sent: await count('out'), received: await count('in'), byRecipient };
}
