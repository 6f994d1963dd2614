/** What the web API's routes need from the node, declared here by the routes that use them. */
import type { Compliance } from '../../../compliance/index.js';
import type { Consultations } from '../../../consult/index.js';
import type { Clock } from '../../../core/index.js';
import type { Directory } from '../../../directory/index.js';
import type { Hotline } from '../../../hotline/index.js';
import type { Gossip, Ledger, VerifyReport } from '../../../ledger/index.js';
import type { Pacts } from '../../../pact/index.js';
import type { Database, StixStore } from '../../../store/index.js';
import type { RequestAuth } from '../../auth/index.js';
import type { PeerRegistry } from '../../peer/index.js';

export interface WebDeps {
  database: Database;
  clock: Clock;
  self: { id: string; party: string; fingerprint: string };
  pacts: Pick<Pacts, 'list' | 'show' | 'propose' | 'sign'>;
  directory: Pick<Directory, 'list' | 'add' | 'confirm' | 'publish' | 'check'>;
  peers: Pick<PeerRegistry, 'list' | 'find'>;
  ledger: Pick<Ledger, 'size' | 'root' | 'latestTreeHead' | 'entries' | 'prove' | 'publicKey'>;
  gossip: Pick<Gossip, 'latestHead' | 'alerts'>;
  hotline: Pick<Hotline, 'inbox' | 'sent' | 'alerts'>;
  stix: StixStore;
  /** Recomputes the whole log (verifyLog over the node's database). */
  verifyLedger(): Promise<VerifyReport>;
  /** Absent on a node without the compliance part: the dashboard then leaves its figures out. */
  compliance?: Pick<Compliance, 'report'>;
  /** Consultations under agreements (node.consultations), when the node has them. */
  consultations?: Pick<Consultations, 'list' | 'show'>;
  /** The collection files are ingested into by default. */
  defaultCollection: string;
  /** Largest upload accepted, bytes. */
  maxUploadBytes: number;
}

export interface WebContext extends WebDeps {
  auth: RequestAuth;
}

export const API = '/api/v1';
