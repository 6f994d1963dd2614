/**
 * The seam between parley and its database for STIX content. One implementation (kysely-stix-store.ts)
 * serves both SQLite and PostgreSQL; the contract suite (stix-store.contract.ts) runs on both.
 *
 * The store does not validate STIX: it persists object versions that the STIX core has already
 * accepted, and enforces only what needs the database to decide (idempotence, strictly increasing
 * date_added, revocation being final, latest-version tracking).
 */

/** The properties of a STIX object the store needs to index it. The full JSON travels alongside. */
export interface StixHead {
  id: string;
  type: string;
  spec_version?: string;
  created?: string;
  modified?: string;
  revoked?: boolean;
}

/** One object version as handed to the store: the head plus the exact JSON to keep. */
export interface ObjectToStore {
  head: StixHead;
  /** The object serialised as JSON; stored and returned byte for byte. */
  json: string;
}

/**
 * An object version of a bulk input (see {@link StixStore.ingestInput}). `firstOfId` is a promise
 * from the caller: no object written earlier through the same writer had this id. The writer then
 * need not look the id up when the collection was empty as the input began. Absent means unknown.
 */
export interface InputObject extends ObjectToStore {
  firstOfId?: boolean;
}

/** Writes the batches of one input, in order, inside the transaction of {@link StixStore.ingestInput}. */
export interface InputWriter {
  /** The same rules and outcomes as {@link StixStore.ingest}, without `atomic`. */
  write(objects: InputObject[]): Promise<IngestOutcome[]>;
  /**
   * Deletes versions this writer stored (an object the input turned out to refuse after it was
   * written); the remaining versions of each id get their latest and first flags back.
   */
  retract(versions: { id: string; version: string }[]): Promise<void>;
}

/**
 * A version key: `modified`, else `created` (marking definitions), else '' (SCOs, which carry
 * neither; TAXII then treats date_added as the version).
 */
export const versionOf = (h: StixHead): string => h.modified ?? h.created ?? '';

export interface Collection {
  /** A UUID, as TAXII wants. */
  id: string;
  /** Unique, human-friendly; the CLI accepts either alias or id. */
  alias: string;
  title: string;
  description?: string;
  /** Media types served; STIX 2.1 only for now. */
  mediaTypes: string[];
  created: string;
}

export interface NewCollection {
  id?: string;
  alias: string;
  title: string;
  description?: string;
}

export type IngestOutcome =
  | { id: string; version: string; status: 'stored'; dateAdded: string }
  | { id: string; version: string; status: 'present'; dateAdded: string }
  | { id: string; version: string; status: 'rejected'; code: string; reason: string };

/** A stored version as read back. `dateAdded` is RFC 3339 with microseconds, e.g. 2026-01-01T00:00:00.000001Z. */
export interface StoredObject {
  id: string;
  type: string;
  version: string;
  specVersion: string;
  dateAdded: string;
  /** Microseconds since the epoch, the exact sort key behind dateAdded. */
  dateAddedUs: bigint;
  revoked: boolean;
  latest: boolean;
  json: string;
}

/** Which versions of each matching object to return (TAXII match[version]). */
export type VersionFilter =
  | { kind: 'last' }
  | { kind: 'first' }
  | { kind: 'all' }
  /** The versions listed, and with `first` / `last` also the first / latest one (TAXII allows the union). */
  | { kind: 'at'; versions: string[]; first?: boolean; last?: boolean };

export interface ObjectQuery {
  collectionId: string;
  /** Exclusive lower bound on date_added, microseconds since the epoch. */
  addedAfterUs?: bigint;
  ids?: string[];
  types?: string[];
  specVersions?: string[];
  versions?: VersionFilter;
  /** At most this many rows; the caller asks for limit+1 to learn whether more exist. */
  limit: number;
}

export interface StixStore {
  /** Throws ParleyError `store.collection_exists` (409) when the id or alias is taken. */
  createCollection(c: NewCollection): Promise<Collection>;
  /** By id or alias. */
  getCollection(idOrAlias: string): Promise<Collection | undefined>;
  listCollections(): Promise<Collection[]>;

  /**
   * Stores a batch of versions in one transaction, in order. Every version gets a date_added
   * strictly greater than any earlier one in the collection (microsecond precision), so paging by
   * added_after never skips an object. The same (id, version) again is reported `present`;
   * a version later than a revoked one is `rejected` with code `stix.revoked_is_final`;
   * a marking definition with the same id and different content is `rejected` (`stix.marking_immutable`).
   * With `atomic`, any rejection rolls the whole batch back and nothing is written: the versions
   * that would have been stored come back `rejected` with code `stix.batch_rejected`.
   * Throws ParleyError `store.no_collection` (404) for an unknown collection.
   */
  ingest(
    collectionId: string,
    objects: ObjectToStore[],
    opts?: { atomic?: boolean },
  ): Promise<IngestOutcome[]>;

  /**
   * Ingests one input in batches within one transaction: `fn` writes through the writer and the
   * transaction commits when it resolves (nothing is kept if it throws). The collection is locked
   * once for the whole input and its date_added high-water mark written once at the end, which
   * makes a batch a few statements fewer than {@link ingest}. Throws `store.no_collection` (404).
   */
  ingestInput<T>(collectionId: string, fn: (w: InputWriter) => Promise<T>): Promise<T>;

  /**
   * One page in date_added order, O(limit) rows read thanks to the (collection, date_added) index.
   * `versions` defaults to `last` (TAXII 2.1 section 3.4.4); an empty ids/types/specVersions list
   * matches nothing.
   */
  query(q: ObjectQuery): Promise<StoredObject[]>;

  /** Every stored version of one object in a collection, oldest first (date_added order). */
  versions(collectionId: string, id: string): Promise<StoredObject[]>;

  /**
   * Deletes versions of an object (all, or those matching `versions`); returns how many went. The
   * remaining versions' latest and first flags are recomputed.
   */
  deleteObject(collectionId: string, id: string, versions?: VersionFilter): Promise<number>;

  /** Streams a whole query in pages (default 1,000 rows) with a cursor; never loads the collection into memory. */
  stream(q: Omit<ObjectQuery, 'limit'> & { pageSize?: number }): AsyncIterable<StoredObject>;

  /** Counts of versions and distinct objects in a collection. */
  count(collectionId: string): Promise<{ versions: number; objects: number }>;
}
