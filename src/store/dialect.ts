/** Which back end a Kysely instance talks to, for the few statements (and migrations) that differ. */
import { type Kysely, PostgresAdapter } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export const dialectOf = (db: Kysely<unknown> | Kysely<never>): DialectName =>
  (db as Kysely<unknown>).getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
