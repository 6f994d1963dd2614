/**
 * The writer of one bulk input (StixStore.ingestInput): the batches of the input go through it in
 * order, inside the transaction that locked the collection. Per batch it costs the INSERTs, the
 * look-up of the ids the batch may share with stored objects, and at most two flag UPDATEs.
 *
 * The look-up is skipped for an id the caller marks `firstOfId` when the collection held nothing as
 * the input began: such an id cannot be stored yet (the collection row lock keeps every other writer
 * out until commit). That is the common bulk load, a new collection filled from one file.
 */
import type { Transaction } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { DialectName } from './database.js';
import { planIngest } from './ingest-plan.js';
import { clearFlag, insertRows, readExisting, refreshFlags } from './ingest-sql.js';
import type { Schema } from './schema.js';
import type { IngestOutcome, InputObject, InputWriter } from './stix-store.js';

export interface OpenInputWriter extends InputWriter {
  /** The collection's date_added high-water mark after the batches written so far. */
  readonly lastAddedUs: number;
}

export async function openInputWriter(
  tx: Transaction<Schema>,
  dialect: DialectName,
  seq: number,
  lastAddedUs: number,
  clock: Clock,
): Promise<OpenInputWriter> {
  const wasEmpty =
    (await tx
      .selectFrom('stix_objects')
      .select('collection_seq')
      .where('collection_seq', '=', seq)
      .limit(1)
      .executeTakeFirst()) === undefined;
  let last = lastAddedUs;
  return {
    get lastAddedUs() {
      return last;
    },
    async write(objects: InputObject[]): Promise<IngestOutcome[]> {
      if (objects.length === 0) return [];
      const ids = new Set<string>();
      for (const o of objects) if (!(wasEmpty && o.firstOfId === true)) ids.add(o.head.id);
      const existing = ids.size > 0 ? await readExisting(tx, dialect, seq, [...ids]) : [];
      const nowUs = Math.floor(clock.now()) * 1000;
      const plan = planIngest(seq, objects, existing, last, nowUs);
      if (plan.rows.length === 0) return plan.outcomes;
      await clearFlag(tx, dialect, seq, 'latest', plan.clearLatest);
      await clearFlag(tx, dialect, seq, 'first', plan.clearFirst);
      await insertRows(tx, dialect, plan.rows);
      last = plan.lastAddedUs;
      return plan.outcomes;
    },
    async retract(versions) {
      const ids = new Set<string>();
      for (const { id, version } of versions) {
        await tx
          .deleteFrom('stix_objects')
          .where('collection_seq', '=', seq)
          .where('id', '=', id)
          .where('version', '=', version)
          .execute();
        ids.add(id);
      }
      for (const id of ids) await refreshFlags(tx, seq, id);
    },
  };
}
