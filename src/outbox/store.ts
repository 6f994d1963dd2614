/**
 * The outbox's access to its table: rows written in the caller's transaction, the look-ups the
 * public class answers, and the conditional updates a delivery attempt makes (lease, retry,
 * settle). When to call them is delivery.ts's business; this file only says how.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { invalid, isoMillis } from '../core/index.js';
import type { Database, Schema } from '../store/index.js';
import {
  type OutboxInput,
  type OutboxItem,
  type OutboxState,
  type OutboxTable,
  type SendOutcome,
  type SettledListener,
  toItem,
} from './types.js';

const LANE_RE = /^[\x21-\x7e]{0,200}$/;

export class OutboxStore {
  constructor(private readonly db: Database) {}

  /** Writes items inside the caller's transaction; nothing is sent until that commits. */
  async insert(tx: Transaction<Schema>, items: readonly OutboxInput[], now: number): Promise<OutboxItem[]> {
    const rows = items.map((i) => {
      const lane = i.lane ?? '';
      if (!LANE_RE.test(lane))
        throw invalid('outbox.bad_lane', `outbox lane "${lane}" is not printable ASCII`);
      let payload: string;
      try {
        payload = JSON.stringify(i.payload);
      } catch (e) {
        throw invalid('outbox.bad_payload', `outbox payload is not JSON: ${(e as Error).message}`);
      }
      if (payload === undefined) throw invalid('outbox.bad_payload', 'outbox payload is undefined');
      return {
        id: randomUUID(),
        peer: i.peer,
        type: i.type,
        agreement: i.agreement,
        payload,
        lane,
        ref: i.ref ?? null,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        last_error: null,
        created_at: isoMillis(now),
        delivered_at: null,
        envelope_id: null,
        envelope_hash: null,
        answer: null,
      };
    });
    if (rows.length === 0) return [];
    const out = await tx.insertInto('outbox').values(rows).returningAll().execute();
    return out.map(toItem);
  }

  async get(id: string): Promise<OutboxItem | undefined> {
    const r = await this.db.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toItem(r);
  }

  /** Items by ref (what the writer recorded), in order. */
  async byRef(ref: string, tx?: Transaction<Schema>): Promise<OutboxItem[]> {
    const rows = await (tx ?? this.db.db)
      .selectFrom('outbox')
      .selectAll()
      .where('ref', '=', ref)
      .orderBy('seq')
      .execute();
    return rows.map(toItem);
  }

  /** Items, newest first: all, or those in one state. */
  async list(opts: { state?: OutboxState; peer?: string; limit?: number } = {}): Promise<OutboxItem[]> {
    let q = this.db.db.selectFrom('outbox').selectAll();
    if (opts.state) q = q.where('state', '=', opts.state);
    if (opts.peer) q = q.where('peer', '=', opts.peer);
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(opts.limit ?? 100)
      .execute();
    return rows.map(toItem);
  }

  /** Makes every pending item (of one peer, or all) due at `now`. */
  async dueNow(now: number, peer?: string): Promise<number> {
    let q = this.db.db.updateTable('outbox').set({ next_attempt_at: now }).where('state', '=', 'pending');
    if (peer) q = q.where('peer', '=', peer);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Pending items in the order written, at most `limit` of them. */
  pending(limit: number): Promise<OutboxTable[]> {
    return this.db.db
      .selectFrom('outbox')
      .selectAll()
      .where('state', '=', 'pending')
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** The pending item that follows `last` in its (peer, lane), if any. */
  nextInLane(last: OutboxTable): Promise<OutboxTable | undefined> {
    return this.db.db
      .selectFrom('outbox')
      .selectAll()
      .where('state', '=', 'pending')
      .where('peer', '=', last.peer)
      .where('lane', '=', last.lane)
      .where('seq', '>', last.seq)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * Moves a pending item's next attempt to `until`, only if no one else moved it since `row` was
   * read: true when this caller's conditional update matched (the lease is theirs).
   */
  async lease(row: OutboxTable, until: number): Promise<boolean> {
    const leased = await this.db.db
      .updateTable('outbox')
      .set({ next_attempt_at: until })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .where('next_attempt_at', '=', row.next_attempt_at)
      .executeTakeFirst();
    return Number(leased.numUpdatedRows) === 1;
  }

  /** Records a failed attempt and when the item is due again; it stays pending. */
  async retryAt(id: string, attempts: number, at: number, error: string): Promise<void> {
    await this.db.db
      .updateTable('outbox')
      .set({ attempts, next_attempt_at: at, last_error: error.slice(0, 1000) })
      .where('id', '=', id)
      .execute();
  }

  /** Ends an item (delivered, refused or skipped) and runs `listeners` in that same transaction. */
  async settle(
    item: OutboxItem,
    state: OutboxState,
    outcome: SendOutcome,
    at: number,
    listeners: readonly SettledListener[],
  ): Promise<void> {
    const attempts = item.attempts + 1;
    await this.db.transaction(async (tx) => {
      const settled = await tx
        .updateTable('outbox')
        .set({
          state,
          attempts,
          delivered_at: outcome.ok ? isoMillis(at) : null,
          last_error: outcome.ok ? null : `${outcome.code}: ${outcome.message}`.slice(0, 1000),
          envelope_id: outcome.ok && outcome.envelopeId ? outcome.envelopeId : null,
          envelope_hash: outcome.ok && outcome.envelopeHash ? outcome.envelopeHash : null,
          answer: outcome.ok ? JSON.stringify(outcome.answer ?? null) : null,
        })
        .where('id', '=', item.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      for (const fn of listeners) await fn(tx, toItem(settled), outcome);
    });
  }
}
