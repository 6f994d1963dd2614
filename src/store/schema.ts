/**
 * The database schema as Kysely sees it: one interface of tables per part, merged here. A part adds
 * its tables in `tables/<part>.ts` and one name to the `extends` list below.
 */
import type { ComplianceTables } from './tables/compliance.js';
import type { ConsultTables } from './tables/consult.js';
import type { ExchangeTables } from './tables/exchange.js';
import type { HotlineTables } from './tables/hotline.js';
import type { LedgerTables } from './tables/ledger.js';
import type { LedgerPeerTables } from './tables/ledger-peers.js';
import type { OutboxTables } from './tables/outbox.js';
import type { PactTables } from './tables/pact.js';
import type { RotationTables } from './tables/rotations.js';
import type { StixTables } from './tables/stix.js';
import type { TaxiiTables } from './tables/taxii.js';
import type { WebTables } from './tables/web.js';

export interface Schema
  extends StixTables,
    TaxiiTables,
    LedgerTables,
    LedgerPeerTables,
    PactTables,
    RotationTables,
    OutboxTables,
    HotlineTables,
    ExchangeTables,
    ConsultTables,
    ComplianceTables,
    WebTables {}
