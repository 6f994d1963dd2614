/**
 * The replay guard in the node's database (docs/PROTOCOL.md section 8): the id of every accepted
 * envelope until it expires plus a grace for clock skew. Used inside the receiving transaction, so an
 * envelope refused later in that transaction (by its handler) leaves no id behind.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/index.js';
import type { ReplayGuard } from '../../crypto/index.js';
import type { Schema } from '../../store/index.js';

export const REPLAY_GRACE_MS = 5 * 60 * 1000;

export class StoreReplayGuard implements ReplayGuard {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly clock: Clock,
  ) {}

  /**
   * Insert-if-absent is atomic on both back ends (a primary key); a concurrent duplicate either waits
   * for the first transaction (PostgreSQL) or queues behind its write lock (SQLite) and then conflicts.
   */
  async seen(id: string, expires: number): Promise<boolean> {
    const r = await this.db
      .insertInto('peer_seen_envelopes')
      .values({ id, expires: expires + REPLAY_GRACE_MS })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 0;
  }

  /** Forgets ids whose envelopes can no longer pass the time-window check; returns how many. */
  async prune(): Promise<number> {
    const r = await this.db
      .deleteFrom('peer_seen_envelopes')
      .where('expires', '<', this.clock.now())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
