/**
 * The service the node exposes as `node.compliance`: make a signed report, verify one, and the two
 * hooks that record what crosses (set by src/app on the inbox and the outbox sender).
 */
import type { Kysely, Transaction } from 'kysely';
import { type Clock, invalid, systemClock } from '../core/index.js';
import type { KeyPair } from '../crypto/index.js';
import type { VerifyReport } from '../ledger/index.js';
import type { AgreementDocument } from '../pact/index.js';
import type { Schema } from '../store/index.js';
import type { Period } from './period.js';
import { type Crossing, recordCrossing } from './record.js';
import { buildReport, type ComplianceReport, signReport } from './report.js';
import { type VerifyResult, verifyReport } from './verify.js';

export interface ComplianceOptions {
  db: Kysely<Schema>;
  self: string;
  signing: KeyPair;
  clock?: Clock;
  /** The agreement as this node holds it (the version in force and when it entered into force). */
  agreement(id: string): Promise<{ doc?: AgreementDocument; inForceAt: string | null } | undefined>;
  /** A node's Ed25519 key (base64url): this node's own, or a peer's. */
  signingKey(node: string): Promise<string | undefined>;
  ledgerSize(): Promise<number>;
  treeHead(): Promise<unknown>;
  verifyLedger(): Promise<VerifyReport>;
}

export interface Compliance {
  report(o: { agreement: string; period: Period; trend?: number }): Promise<ComplianceReport>;
  verify(report: unknown): Promise<VerifyResult>;
  /** Records an envelope's facts; inbound inside the receiving transaction. */
  record(db: Kysely<Schema> | Transaction<Schema>, c: Crossing): Promise<void>;
}

export function createCompliance(o: ComplianceOptions): Compliance {
  const clock = o.clock ?? systemClock;
  const deps = {
    db: o.db,
    self: o.self,
    signing: o.signing,
    now: () => clock.now(),
    ledgerSize: o.ledgerSize,
    treeHead: o.treeHead,
    agreement: async (id: string) => {
      const a = await o.agreement(id);
      if (!a)
        throw invalid('compliance.unknown_agreement', `agreement ${id} is not known here`, {
          field: 'agreement',
        });
      return a;
    },
  };
  return {
    async report(r) {
      const built = await buildReport(deps, r);
      return signReport(built.report, o.signing);
    },
    verify: (report) =>
      verifyReport({ ...deps, peerKey: o.signingKey, verifyLedger: o.verifyLedger }, report),
    record: (db, c) => recordCrossing(db, c, clock.now()),
  };
}
