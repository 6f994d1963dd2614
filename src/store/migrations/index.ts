/**
 * Every migration of parley, by name. Names are `NNNN-part`; Kysely runs them in name order. A part
 * adds its migration as `migrations/NNNN-part.ts` (exporting `up`, optionally `down`) and one line
 * below. Migrations load lazily, so this list costs nothing until `migrate()` runs.
 */
import type { Migration, MigrationProvider } from 'kysely';

type Load = () => Promise<Migration>;

export const migrations: Record<string, Load> = {
  '0001-stix': () => import('./0001-stix.js'),
  '0002-taxii': () => import('./0002-taxii.js'),
  '0003-ledger': () => import('./0003-ledger.js'),
  '0004-pact': () => import('./0004-pact.js'),
  '0005-receipts': () => import('./0005-receipts.js'),
  '0006-gossip': () => import('./0006-gossip.js'),
  '0007-rotations': () => import('./0007-rotations.js'),
  '0008-outbox': () => import('./0008-outbox.js'),
  '0009-hotline': () => import('./0009-hotline.js'),
  '0010-exchange': () => import('./0010-exchange.js'),
  '0011-compliance': () => import('./0011-compliance.js'),
  '0012-web': () => import('./0012-web.js'),
  '0013-consultations': () => import('./0013-consultations.js'),
  '0014-exchange-grants': () => import('./0014-exchange-grants.js'),
};

/** Kysely's provider over the list above; no filesystem scanning. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    const out: Record<string, Migration> = {};
    for (const [name, load] of Object.entries(migrations)) out[name] = await load();
    return out;
  },
};
