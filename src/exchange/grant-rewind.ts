/**
 * What holding a new grant from an object's origin does to the feeds: the feeds the grant opens
 * are read again from the first object it covers, so objects held back before go out now (what
 * the peer has already is counted as present there).
 */
import type { Transaction } from 'kysely';
import { createStixStore, type Schema } from '../store/index.js';
import { readCursors, setCursor } from './cursors.js';
import type { EngineContext } from './feeds.js';
import { grantNames } from './grants.js';
import type { PermissionGrant } from './policy/index.js';

/** Rewinds, inside `tx`, the 'out' cursors of every feed `grant` names to before its first object. */
export async function rewindForGrant(
  ctx: EngineContext,
  tx: Transaction<Schema>,
  grant: PermissionGrant,
  at: string,
): Promise<void> {
  // Where the objects are held (received from peers): the earliest date_added per collection.
  const held = await tx
    .selectFrom('exchange_provenance')
    .select(['object_id', 'collection_id'])
    .where('object_id', 'in', grant.objectRefs)
    .execute();
  if (held.length === 0) return;
  const store = createStixStore(
    { ...ctx.database, db: tx, transaction: (fn) => fn(tx) },
    { clock: ctx.clock },
  );
  const first = new Map<string, number>();
  for (const h of held) {
    for (const v of await store.versions(h.collection_id, h.object_id)) {
      const us = Number(v.dateAddedUs);
      if (us < (first.get(h.collection_id) ?? Number.POSITIVE_INFINITY)) first.set(h.collection_id, us);
    }
  }
  for (const f of await ctx.feeds(tx)) {
    if (!grantNames(grant, f.peer, f.agreement.id)) continue;
    const key = { peer: f.peer, agreement: f.agreement.id };
    const cursors = await readCursors(tx, 'out', key);
    for (const [coll, us] of first)
      if ((cursors.get(coll) ?? 0) >= us) await setCursor(tx, 'out', key, coll, us - 1, at, 'exact');
  }
}
