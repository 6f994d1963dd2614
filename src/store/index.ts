/** The store: the node's database (SQLite or PostgreSQL), its migrations, and the STIX store on it. */
export { type Database, type DialectName, openDatabase } from './database.js';
export { dialectOf } from './dialect.js';
export { createStixStore, KyselyStixStore, type StixStoreOptions } from './kysely-stix-store.js';
export { migrationProvider, migrations } from './migrations/index.js';
export type { Schema } from './schema.js';
export * from './stix-store.js';
export { formatDateAdded, parseDateAddedUs, versionOrderKey } from './stix-time.js';
export type { StixCollectionsTable, StixObjectsTable, StixTables } from './tables/stix.js';
