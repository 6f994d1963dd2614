/**
 * The StixStore on a Database (SQLite or PostgreSQL), one SQL text for both. An ingest batch costs a
 * few round trips whatever its size: lock and read the collection's date_added high-water mark, read
 * the stored versions of the batch's ids, the INSERTs (see ingest-sql.ts), at most two UPDATEs of
 * superseded latest/first flags, one UPDATE of the high-water mark.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import { conflict, notFound } from '../core/errors.js';
import type { Database, DialectName } from './database.js';
import { planIngest } from './ingest-plan.js';
import { clearFlag, insertRows, readExisting, refreshFlags } from './ingest-sql.js';
import { openInputWriter } from './ingest-writer.js';
import type { Schema } from './schema.js';
import { type ObjectRow, pageQuery, seqOf } from './stix-query.js';
import type {
  Collection,
  IngestOutcome,
  InputWriter,
  NewCollection,
  ObjectQuery,
  ObjectToStore,
  StixStore,
  StoredObject,
  VersionFilter,
} from './stix-store.js';
import { formatDateAdded } from './stix-time.js';
import type { StixCollectionsTable } from './tables/stix.js';

const STIX_21 = 'application/stix+json;version=2.1';

export interface StixStoreOptions {
  /** Source of "now" for date_added; only its millisecond value is used, +1 µs breaks ties. */
  clock?: Clock;
}

export function createStixStore(database: Database, opts: StixStoreOptions = {}): StixStore {
  return new KyselyStixStore(database, opts);
}

export class KyselyStixStore implements StixStore {
  readonly #database: Database;
  readonly #db: Kysely<Schema>;
  readonly #clock: Clock;

  constructor(database: Database, opts: StixStoreOptions = {}) {
    this.#database = database;
    this.#db = database.db;
    this.#clock = opts.clock ?? systemClock;
  }

  async createCollection(c: NewCollection): Promise<Collection> {
    const row = {
      id: c.id ?? randomUUID(),
      alias: c.alias,
      title: c.title,
      description: c.description ?? null,
      media_types: JSON.stringify([STIX_21]),
      created: new Date(this.#clock.now()).toISOString(),
    };
    return this.#database.transaction(async (tx) => {
      const clash = await tx
        .selectFrom('stix_collections')
        .select(['id', 'alias'])
        .where((eb) => eb.or([eb('id', '=', row.id), eb('alias', '=', row.alias), eb('id', '=', row.alias)]))
        .executeTakeFirst();
      if (clash) {
        throw conflict(
          'store.collection_exists',
          `a collection with id or alias "${clash.alias === row.alias ? row.alias : clash.id}" already exists`,
          { id: clash.id, alias: clash.alias },
        );
      }
      try {
        await tx.insertInto('stix_collections').values(row).execute();
      } catch (e) {
        // A concurrent create (PostgreSQL) got there between the check and the insert.
        if (isUniqueViolation(e)) {
          throw conflict(
            'store.collection_exists',
            `a collection "${row.alias}" or ${row.id} already exists`,
          );
        }
        throw e;
      }
      return toCollection(row);
    });
  }

  async getCollection(idOrAlias: string): Promise<Collection | undefined> {
    const row = await this.#db
      .selectFrom('stix_collections')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrAlias), eb('alias', '=', idOrAlias)]))
      .orderBy(sql`case when id = ${idOrAlias} then 0 else 1 end`)
      .executeTakeFirst();
    return row && toCollection(row);
  }

  async listCollections(): Promise<Collection[]> {
    const rows = await this.#db.selectFrom('stix_collections').selectAll().orderBy('alias').execute();
    return rows.map(toCollection);
  }

  async ingest(
    collectionId: string,
    objects: ObjectToStore[],
    opts: { atomic?: boolean } = {},
  ): Promise<IngestOutcome[]> {
    return this.#database.transaction(async (tx) => {
      await keepToIndexes(tx, this.#database.dialect);
      const { seq, lastAddedUs } = await this.#lockCollection(tx, collectionId);
      if (objects.length === 0) return [];
      const existing = await readExisting(tx, this.#database.dialect, seq, [
        ...new Set(objects.map((o) => o.head.id)),
      ]);
      const nowUs = Math.floor(this.#clock.now()) * 1000;
      const plan = planIngest(seq, objects, existing, lastAddedUs, nowUs);
      if (opts.atomic && plan.rejected > 0) return abandon(plan.outcomes);
      if (plan.rows.length === 0) return plan.outcomes;
      await clearFlag(tx, this.#database.dialect, seq, 'latest', plan.clearLatest);
      await clearFlag(tx, this.#database.dialect, seq, 'first', plan.clearFirst);
      await insertRows(tx, this.#database.dialect, plan.rows);
      await tx
        .updateTable('stix_collections')
        .set({ last_added_us: plan.lastAddedUs })
        .where('seq', '=', seq)
        .execute();
      return plan.outcomes;
    });
  }

  async ingestInput<T>(collectionId: string, fn: (w: InputWriter) => Promise<T>): Promise<T> {
    return this.#database.transaction(async (tx) => {
      const { dialect } = this.#database;
      await keepToIndexes(tx, dialect);
      const { seq, lastAddedUs } = await this.#lockCollection(tx, collectionId);
      const writer = await openInputWriter(tx, dialect, seq, lastAddedUs, this.#clock);
      const result = await fn(writer);
      if (writer.lastAddedUs !== lastAddedUs) {
        await tx
          .updateTable('stix_collections')
          .set({ last_added_us: writer.lastAddedUs })
          .where('seq', '=', seq)
          .execute();
      }
      return result;
    });
  }

  async query(q: ObjectQuery): Promise<StoredObject[]> {
    if (q.limit <= 0) return [];
    const page = pageQuery(this.#db, q);
    if (!page) return [];
    return (await page.execute()).map(toStored);
  }

  async versions(collectionId: string, id: string): Promise<StoredObject[]> {
    const rows = await this.#db
      .selectFrom('stix_objects')
      .select(['id', 'type', 'version', 'spec_version', 'date_added_us', 'revoked', 'latest', 'json'])
      .where('collection_seq', '=', seqOf(this.#db, collectionId))
      .where('id', '=', id)
      .orderBy('date_added_us')
      .execute();
    return rows.map(toStored);
  }

  async deleteObject(collectionId: string, id: string, versions?: VersionFilter): Promise<number> {
    return this.#database.transaction(async (tx) => {
      const { seq } = await this.#lockCollection(tx, collectionId);
      let del = tx.deleteFrom('stix_objects').where('collection_seq', '=', seq).where('id', '=', id);
      if (versions?.kind === 'last') del = del.where(sql.ref('latest'), '=', sql.lit(1));
      else if (versions?.kind === 'first') del = del.where(sql.ref('first'), '=', sql.lit(1));
      else if (versions?.kind === 'at' && (versions.first || versions.last)) {
        const v = versions;
        del = del.where((eb) =>
          eb.or([
            ...(v.versions.length > 0 ? [eb('version', 'in', v.versions)] : []),
            ...(v.first ? [eb(sql.ref('first'), '=', sql.lit(1))] : []),
            ...(v.last ? [eb(sql.ref('latest'), '=', sql.lit(1))] : []),
          ]),
        );
      } else if (versions?.kind === 'at') {
        if (versions.versions.length === 0) return 0;
        del = del.where('version', 'in', versions.versions);
      }
      const gone = Number((await del.executeTakeFirst()).numDeletedRows);
      if (gone > 0) await refreshFlags(tx, seq, id);
      return gone;
    });
  }

  async *stream(q: Omit<ObjectQuery, 'limit'> & { pageSize?: number }): AsyncIterable<StoredObject> {
    const { pageSize = 1000, ...rest } = q;
    let after = rest.addedAfterUs;
    for (;;) {
      const page = await this.query({ ...rest, addedAfterUs: after, limit: pageSize });
      yield* page;
      if (page.length < pageSize) return;
      // date_added is unique in a collection, so it is an exact keyset cursor.
      after = page[page.length - 1]!.dateAddedUs;
    }
  }

  async count(collectionId: string): Promise<{ versions: number; objects: number }> {
    const n = (latestOnly: boolean) =>
      this.#db
        .selectFrom('stix_objects')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('collection_seq', '=', seqOf(this.#db, collectionId))
        .$if(latestOnly, (s) => s.where(sql.ref('latest'), '=', sql.lit(1)))
        .executeTakeFirstOrThrow();
    const [versions, objects] = await Promise.all([n(false), n(true)]);
    return { versions: Number(versions.n), objects: Number(objects.n) };
  }

  /**
   * Reads the collection's high-water mark and, on PostgreSQL, locks its row until commit, so that
   * concurrent ingests into one collection (from any process) serialise and date_added stays strictly
   * increasing. SQLite's BEGIN IMMEDIATE already made this transaction the only writer.
   */
  async #lockCollection(
    tx: Transaction<Schema>,
    collectionId: string,
  ): Promise<{ seq: number; lastAddedUs: number }> {
    const row = await tx
      .selectFrom('stix_collections')
      .select(['seq', 'last_added_us'])
      .where('id', '=', collectionId)
      .$if(this.#database.dialect === 'postgres', (s) => s.forUpdate())
      .executeTakeFirst();
    if (!row) throw notFound('store.no_collection', `no STIX collection with id ${collectionId}`);
    return { seq: Number(row.seq), lastAddedUs: Number(row.last_added_us) };
  }
}

/**
 * A large input is written in one transaction, so PostgreSQL's statistics still describe the table
 * as it was before (often empty: no statistics at all) and the planner, taking every id for one of
 * 200 values, picks scans of the whole collection for the per-batch look-ups, which then grow with
 * every batch. Within this transaction only index scans and nested loops are allowed: every query
 * of an ingest has an index, and the look-up by id probes the primary key once per id.
 */
async function keepToIndexes(tx: Transaction<Schema>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_hashjoin', 'off', true),
    set_config('enable_mergejoin', 'off', true)`.execute(tx);
}

/** PostgreSQL SQLSTATE 23505, or SQLite's SQLITE_CONSTRAINT_UNIQUE. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** With `atomic`, nothing was written: versions that would have been stored are reported rejected too. */
function abandon(outcomes: IngestOutcome[]): IngestOutcome[] {
  return outcomes.map((o) =>
    o.status === 'stored'
      ? {
          id: o.id,
          version: o.version,
          status: 'rejected',
          code: 'stix.batch_rejected',
          reason: 'not stored: another object of this atomic batch was rejected',
        }
      : o,
  );
}

function toCollection(r: Omit<Selectable<StixCollectionsTable>, 'seq' | 'last_added_us'>): Collection {
  return {
    id: r.id,
    alias: r.alias,
    title: r.title,
    ...(r.description === null ? {} : { description: r.description }),
    mediaTypes: JSON.parse(r.media_types) as string[],
    created: r.created,
  };
}

function toStored(r: ObjectRow): StoredObject {
  const us = Number(r.date_added_us);
  return {
    id: r.id,
    type: r.type,
    version: r.version,
    specVersion: r.spec_version,
    dateAdded: formatDateAdded(us),
    dateAddedUs: BigInt(us),
    revoked: Number(r.revoked) === 1,
    latest: Number(r.latest) === 1,
    json: r.json,
  };
}
