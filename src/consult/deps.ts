/**
 * What consultations need from the parts below, declared here and no wider: the composition root
 * hands in the real Outbox, Pacts and peer inbox, which satisfy these shapes structurally.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../core/index.js';
import type { KeyPair } from '../crypto/index.js';
import type { OutboxInput } from '../outbox/index.js';
import type { AgreementDocument } from '../pact/index.js';
import type { Database, Schema } from '../store/index.js';

export interface ConsultOutbox {
  enqueue(tx: Transaction<Schema>, items: readonly OutboxInput[]): Promise<unknown>;
  kick(): void;
}

export interface ConsultAgreements {
  /** The agreement as this node holds it; `db` is the receiving transaction when there is one. */
  show(
    id: string,
    db?: Kysely<Schema>,
  ): Promise<{ id: string; effective: boolean; inForce?: AgreementDocument }>;
}

/** Where inbound handlers are registered (src/http/peer PeerInbox). */
export interface ConsultInbox {
  on(
    type: string,
    handler: (ctx: {
      opened: { envelope: { agreement: string | null; sender: { node: string; key: string } } };
      payload: unknown;
      tx: Transaction<Schema>;
    }) => Promise<unknown>,
  ): unknown;
}

export interface ConsultDeps {
  database: Database;
  identity: { nodeId: string; signing: KeyPair };
  clock: Clock;
  outbox: ConsultOutbox;
  pacts: ConsultAgreements;
}
