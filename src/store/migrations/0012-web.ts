/**
 * The web UI's server-side state (src/http/auth/sessions.ts, src/http/api/web/): signed-in sessions
 * (only the SHA-256 of the cookie's value is kept) and the runs of whole-ledger verification that
 * the dashboard reports. Keep this file frozen once released: change the schema in a new migration.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('web_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('web_sessions_user').on('web_sessions').column('user_name').execute();
  await db.schema
    .createTable('ledger_verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('started', 'text', (c) => c.notNull())
    .addColumn('finished', 'text')
    .addColumn('ok', 'integer')
    .addColumn('size', 'integer')
    .addColumn('problem', 'text')
    .addColumn('by_principal', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_verifications_started')
    .on('ledger_verifications')
    .column('started')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['ledger_verifications', 'web_sessions']) await db.schema.dropTable(t).execute();
}
