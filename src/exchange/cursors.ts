/**
 * Cursors on date_added, one per (direction, peer, agreement, collection of the sending node):
 * 'out' is how far the peer has acknowledged (moved only when its receipt comes back), 'in' is how
 * far this node has received (moved in the receiving transaction). Microseconds as numbers: they
 * stay below 2^53 (see store/tables/stix.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../store/index.js';

type Db = Kysely<Schema> | Transaction<Schema>;
export type Direction = 'out' | 'in';

export interface FeedKey {
  peer: string;
  agreement: string;
}

/** Every cursor of one feed, by collection id. */
export async function readCursors(db: Db, dir: Direction, key: FeedKey): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('exchange_cursors')
    .select(['collection_id', 'after_us'])
    .where('direction', '=', dir)
    .where('peer', '=', key.peer)
    .where('agreement', '=', key.agreement)
    .execute();
  return new Map(rows.map((r) => [r.collection_id, Number(r.after_us)]));
}

/**
 * Sets one cursor. `forward` moves it only forward (a late receipt never rewinds it); `exact` sets
 * it as given (a peer that asks again from an earlier point).
 */
export async function setCursor(
  db: Db,
  dir: Direction,
  key: FeedKey,
  collection: string,
  afterUs: number,
  at: string,
  mode: 'forward' | 'exact' = 'forward',
): Promise<void> {
  const cur = await db
    .selectFrom('exchange_cursors')
    .select('after_us')
    .where('direction', '=', dir)
    .where('peer', '=', key.peer)
    .where('agreement', '=', key.agreement)
    .where('collection_id', '=', collection)
    .executeTakeFirst();
  if (cur && mode === 'forward' && Number(cur.after_us) >= afterUs) return;
  if (cur) {
    await db
      .updateTable('exchange_cursors')
      .set({ after_us: afterUs, updated_at: at })
      .where('direction', '=', dir)
      .where('peer', '=', key.peer)
      .where('agreement', '=', key.agreement)
      .where('collection_id', '=', collection)
      .execute();
    return;
  }
  await db
    .insertInto('exchange_cursors')
    .values({
      direction: dir,
      peer: key.peer,
      agreement: key.agreement,
      collection_id: collection,
      after_us: afterUs,
      updated_at: at,
    })
    .execute();
}
