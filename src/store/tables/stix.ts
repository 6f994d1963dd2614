/**
 * Row types of the STIX tables (created by migrations/0001-stix.ts). Flags are 0/1 integers on both
 * back ends so that one SQL text serves SQLite and PostgreSQL; BIGINT columns read back as numbers
 * (see database.ts: microseconds since the epoch stay below 2^53).
 */
import type { ColumnType, Generated } from 'kysely';

export interface StixCollectionsTable {
  /** Internal key that object rows carry (short index entries); assigned by the database. */
  seq: Generated<number>;
  /** The public UUID. */
  id: string;
  alias: string;
  title: string;
  description: string | null;
  /** JSON array of media types. */
  media_types: string;
  created: string;
  /** High-water mark of date_added in this collection, microseconds since the epoch. */
  last_added_us: Generated<number>;
}

export interface StixObjectsTable {
  /** stix_collections.seq */
  collection_seq: number;
  id: string;
  /** `modified`, else `created`, else '' (see versionOf in stix-store.ts). */
  version: string;
  type: string;
  spec_version: string;
  /** Unique within a collection, strictly increasing in ingest order. */
  date_added_us: number;
  revoked: ColumnType<number, number, number>;
  /** 1 on the row with the greatest version of (collection_id, id). */
  latest: number;
  /** 1 on the row with the smallest version of (collection_id, id). */
  first: number;
  json: string;
}

export interface StixTables {
  stix_collections: StixCollectionsTable;
  stix_objects: StixObjectsTable;
}
