/**
 * Gossip of signed tree heads (RFC 9162 section 8.1.4 / the "gossip" of Certificate Transparency):
 * a node keeps the heads it has seen from each peer, and accepts a new one only with a consistency
 * proof (RFC 9162 section 2.1.4) from the largest head it holds. Two heads of one peer that are not
 * consistent mean the peer rewrote its history (or showed different views to different nodes): the
 * observer records an alert with the evidence (both signed heads and the proof that failed), and can
 * hand that evidence to the peer, which checks it against its own log (`acceptForkEvidence`).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { type Clock, isoMillis, systemClock } from '../core/clock.js';
import type { Database, Schema } from '../store/index.js';
import type { LedgerAlertsTable, LedgerPeerHeadsTable } from '../store/tables/ledger-peers.js';
import type { Ledger } from './ledger.js';
import { type ConsistencyProof, checkConsistency, type ForkEvidence } from './proof.js';
import { fromB64u, parseTreeHead, type SignedTreeHead, verifyTreeHead } from './tree-head.js';

/** A signed tree head together with the key that signed it (base64url), as peers exchange them. */
export type KeyedTreeHead = SignedTreeHead & { publicKey: string };

export interface SeenHead extends KeyedTreeHead {
  peer: string;
  /** RFC 3339: when this node first saw it. */
  seen: string;
}

export interface LedgerAlert {
  id: string;
  peer: string;
  code: string;
  reason: string;
  evidence: ForkEvidence & { publicKeys: string[] };
  created: string;
}

export type ObserveResult =
  /** Consistent with every head held (or the first head seen); stored. */
  | { ok: true; previous?: SeenHead }
  /** A consistency proof from `first` to `second` is needed before this head can be accepted. */
  | { ok: false; code: 'ledger.proof_needed'; reason: string; first: number; second: number }
  /** The head is malformed or not signed by its key: not the peer's word, nothing recorded. */
  | { ok: false; code: 'ledger.proof_malformed' | 'ledger.bad_signature'; reason: string }
  /** The peer's heads are not consistent: an alert is recorded. */
  | { ok: false; code: 'ledger.fork'; reason: string; alert: LedgerAlert };

const LOCK = (peer: string) => `ledger-gossip:${peer}`;

const rowToHead = (r: LedgerPeerHeadsTable): SeenHead => ({
  peer: r.peer,
  treeSize: r.tree_size,
  timestamp: Number(r.timestamp),
  rootHash: r.root_hash,
  signature: r.signature,
  publicKey: r.public_key,
  seen: r.seen,
});

const rowToAlert = (r: LedgerAlertsTable): LedgerAlert => ({
  id: r.id,
  peer: r.peer,
  code: r.code,
  reason: r.reason,
  evidence: JSON.parse(r.evidence) as LedgerAlert['evidence'],
  created: r.created,
});

const keyed = (h: SeenHead): KeyedTreeHead => ({
  treeSize: h.treeSize,
  timestamp: h.timestamp,
  rootHash: h.rootHash,
  signature: h.signature,
  publicKey: h.publicKey,
});

export class Gossip {
  readonly database: Database;
  readonly clock: Clock;

  constructor(opts: { database: Database; clock?: Clock }) {
    this.database = opts.database;
    this.clock = opts.clock ?? systemClock;
  }

  /** The largest head seen from `peer`: what to ask the next consistency proof from. */
  latestHead(peer: string, db: Kysely<Schema> = this.database.db): Promise<SeenHead | undefined> {
    return db
      .selectFrom('ledger_peer_heads')
      .selectAll()
      .where('peer', '=', peer)
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst()
      .then((r) => r && rowToHead(r));
  }

  async headsOf(peer: string): Promise<SeenHead[]> {
    const rows = await this.database.db
      .selectFrom('ledger_peer_heads')
      .selectAll()
      .where('peer', '=', peer)
      .orderBy('tree_size')
      .execute();
    return rows.map(rowToHead);
  }

  async alerts(peer?: string): Promise<LedgerAlert[]> {
    let q = this.database.db.selectFrom('ledger_alerts').selectAll();
    if (peer !== undefined) q = q.where('peer', '=', peer);
    return (await q.orderBy('created').orderBy('id').execute()).map(rowToAlert);
  }

  /**
   * Takes a head from `peer` with the consistency proof from the largest head held before (or to
   * it, when the new head is smaller; none is needed for the first head or an equal size). Stores
   * it when consistent; records an alert with the evidence when not.
   */
  observeHead(peer: string, sth: KeyedTreeHead, proof?: ConsistencyProof): Promise<ObserveResult> {
    return this.database.transaction((tx) => this.observeIn(tx, peer, sth, proof));
  }

  /** observeHead inside the caller's transaction (e.g. an inbound envelope's). */
  async observeIn(
    tx: Transaction<Schema>,
    peer: string,
    sth: KeyedTreeHead,
    proof?: ConsistencyProof,
  ): Promise<ObserveResult> {
    const head = parseTreeHead(sth);
    const key = typeof sth?.publicKey === 'string' ? sth.publicKey : '';
    if (!head || !/^[A-Za-z0-9_-]{43}$/.test(key)) {
      return { ok: false, code: 'ledger.proof_malformed', reason: 'the tree head or its key is malformed' };
    }
    if (!verifyTreeHead(head, fromB64u(key))) {
      return {
        ok: false,
        code: 'ledger.bad_signature',
        reason: `the tree head of ${peer} is not signed by its key`,
      };
    }
    await this.database.lock(tx, LOCK(peer));
    // A head of the same size already held settles the question without any proof.
    const same = await tx
      .selectFrom('ledger_peer_heads')
      .selectAll()
      .where('peer', '=', peer)
      .where('tree_size', '=', head.treeSize)
      .executeTakeFirst();
    const reference = same ? rowToHead(same) : await this.latestHead(peer, tx);
    if (!reference) {
      await this.store(tx, peer, { ...head, publicKey: key });
      return { ok: true };
    }
    if (reference.treeSize !== head.treeSize && reference.treeSize !== 0 && head.treeSize !== 0 && !proof) {
      const [first, second] = [reference.treeSize, head.treeSize].sort((a, b) => a - b) as [number, number];
      return {
        ok: false,
        code: 'ledger.proof_needed',
        reason: `${peer}: a consistency proof from size ${first} to ${second} is needed`,
        first,
        second,
      };
    }
    const keys = [...new Set([reference.publicKey, key])];
    const r = checkConsistency(keyed(reference), head, proof, keys);
    if (r.ok) {
      if (!same) await this.store(tx, peer, { ...head, publicKey: key });
      return { ok: true, previous: reference };
    }
    if ('evidence' in r) {
      const alert = await this.recordAlert(tx, peer, r.code, r.reason, { ...r.evidence, publicKeys: keys });
      return { ok: false, code: 'ledger.fork', reason: r.reason, alert };
    }
    if (r.code === 'ledger.proof_malformed') {
      const [first, second] = [reference.treeSize, head.treeSize].sort((a, b) => a - b) as [number, number];
      return { ok: false, code: 'ledger.proof_needed', reason: r.reason, first, second };
    }
    return { ok: false, code: 'ledger.bad_signature', reason: r.reason };
  }

  /**
   * The accused side: takes fork evidence about this node's own log from `peer` and checks it
   * against `ledger`. Both heads must be signed by this node's key; a head whose root differs from
   * the log's root at its size (or a size beyond the log) is one this node signed but no longer
   * holds. Records an alert and returns it when the evidence stands; undefined when it does not.
   * Inside a transaction pass it as `tx`, and `ledger` bound to it (`ledgerIn`).
   */
  async acceptForkEvidence(
    peer: string,
    evidence: unknown,
    ledger: Ledger,
    tx?: Transaction<Schema>,
  ): Promise<LedgerAlert | undefined> {
    const e = evidence as Partial<ForkEvidence> | null;
    const older = parseTreeHead(e?.older);
    const newer = parseTreeHead(e?.newer);
    if (!older || !newer) return undefined;
    const key = fromB64u(ledger.publicKey);
    if (!verifyTreeHead(older, key) || !verifyTreeHead(newer, key)) return undefined;
    const size = await ledger.size();
    const differs = async (h: SignedTreeHead) =>
      h.treeSize > size || Buffer.from(await ledger.root(h.treeSize)).toString('hex') !== h.rootHash;
    const bad = [];
    if (await differs(older)) bad.push(older.treeSize);
    if (await differs(newer)) bad.push(newer.treeSize);
    if (bad.length === 0) return undefined;
    const reason = `${peer} holds signed tree heads of this node that the log no longer matches (sizes ${bad.join(', ')})`;
    const record = (t: Transaction<Schema>) =>
      this.recordAlert(t, peer, 'ledger.fork', reason, {
        older,
        newer,
        ...(e?.proof ? { proof: e.proof } : {}),
        conclusive: true,
        publicKeys: [ledger.publicKey],
      });
    return tx ? record(tx) : this.database.transaction(record);
  }

  private async store(tx: Transaction<Schema>, peer: string, h: KeyedTreeHead): Promise<void> {
    await tx
      .insertInto('ledger_peer_heads')
      .values({
        peer,
        tree_size: h.treeSize,
        timestamp: h.timestamp,
        root_hash: h.rootHash,
        signature: h.signature,
        public_key: h.publicKey,
        seen: isoMillis(this.clock.now()),
      })
      .onConflict((oc) => oc.columns(['peer', 'tree_size']).doNothing())
      .execute();
  }

  private async recordAlert(
    tx: Transaction<Schema>,
    peer: string,
    code: string,
    reason: string,
    evidence: LedgerAlert['evidence'],
  ): Promise<LedgerAlert> {
    const alert: LedgerAlert = {
      id: randomUUID(),
      peer,
      code,
      reason,
      evidence,
      created: isoMillis(this.clock.now()),
    };
    await tx
      .insertInto('ledger_alerts')
      .values({ ...alert, evidence: JSON.stringify(evidence) })
      .execute();
    return alert;
  }
}

export const createGossip = (opts: { database: Database; clock?: Clock }): Gossip => new Gossip(opts);
