/**
 * STIX collections and object versions. The indexes serve the page queries of kysely-stix-store.ts
 * with range scans bounded by LIMIT: "next page after T" walks (collection_seq, date_added_us), the
 * partial index does the same for match[version]=last (the default), (collection_seq, type,
 * date_added_us) serves match[type], and the primary key finds every version of one id.
 * Object rows carry the collection's integer `seq`, not its UUID: every index entry is about 35
 * bytes shorter, which is a large share of the cost of an ingest.
 * Keep this file frozen once released: change the schema in a new migration.
 */
import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../dialect.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stix_collections')
    // Never reused (AUTOINCREMENT / identity), so rows of a deleted collection can never resurface.
    .addColumn('seq', 'integer', (c) =>
      dialectOf(db) === 'postgres'
        ? c.primaryKey().generatedAlwaysAsIdentity()
        : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('alias', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('media_types', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('last_added_us', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('stix_objects')
    // No foreign key to stix_collections: PostgreSQL checks one per inserted row with a trigger, a
    // large share of a bulk ingest; the store writes only into a collection it has just locked.
    .addColumn('collection_seq', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('spec_version', 'text', (c) => c.notNull())
    .addColumn('date_added_us', 'bigint', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .addColumn('latest', 'integer', (c) => c.notNull())
    .addColumn('first', 'integer', (c) => c.notNull())
    .addColumn('json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stix_objects_pk', ['collection_seq', 'id', 'version'])
    .execute();

  // date_added is unique per collection (strictly increasing), which also makes it an exact keyset cursor.
  await db.schema
    .createIndex('stix_objects_added')
    .on('stix_objects')
    .columns(['collection_seq', 'date_added_us'])
    .unique()
    .execute();
  await db.schema
    .createIndex('stix_objects_latest_added')
    .on('stix_objects')
    .columns(['collection_seq', 'date_added_us'])
    .where(sql.ref('latest'), '=', 1)
    .execute();
  // match[type] pages: one range scan per type, merged (see query-plan.ts).
  await db.schema
    .createIndex('stix_objects_type_added')
    .on('stix_objects')
    .columns(['collection_seq', 'type', 'date_added_us'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stix_objects').execute();
  await db.schema.dropTable('stix_collections').execute();
}
