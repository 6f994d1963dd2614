/**
 * What the hotline needs from the parts below it, declared here and no wider: the composition root
 * hands it the real Outbox, Pacts and Directory, which satisfy these shapes structurally.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../core/index.js';
import type { OutboxInput, OutboxItem, SendOutcome } from '../outbox/index.js';
import type { AgreementDocument } from '../pact/index.js';
import type { Database, Schema } from '../store/index.js';

export interface HotlineOutbox {
  enqueue(tx: Transaction<Schema>, items: readonly OutboxInput[]): Promise<unknown>;
  kick(): void;
  onSettled(
    type: string,
    fn: (tx: Transaction<Schema>, item: OutboxItem, outcome: SendOutcome) => Promise<void>,
  ): unknown;
  byRef(ref: string, tx?: Transaction<Schema>): Promise<OutboxItem[]>;
}

export interface HotlineAgreements {
  /** Whether the agreement is in force now, with its document; `db` is the receiving transaction when there is one. */
  effective(
    id: string,
    db?: Kysely<Schema>,
  ): Promise<{ id: string; effective: boolean; inForce?: AgreementDocument }>;
  /** Agreements in force now, with their documents. */
  inForceNow(db?: Kysely<Schema>): Promise<{ id: string; doc: AgreementDocument }[]>;
}

export interface HotlinePoc {
  owner: string;
  id: string;
  role: string;
  name: string;
}

export interface HotlineDirectory {
  /** Points of contact in directory order (owner, then id). Read outside transactions. */
  list(opts?: { owner?: string }): Promise<HotlinePoc[]>;
}

/** Where inbound handlers are registered (src/http/peer PeerInbox). */
export interface HotlineInbox {
  on(
    type: string,
    handler: (ctx: {
      opened: { envelope: { id: string; type: string; agreement: string | null; sender: { node: string } } };
      payload: unknown;
      tx: Transaction<Schema>;
    }) => Promise<unknown>,
  ): unknown;
}

export interface HotlineDeps {
  database: Database;
  identity: { nodeId: string };
  clock: Clock;
  outbox: HotlineOutbox;
  pacts: HotlineAgreements;
  directory: HotlineDirectory;
}
