/**
 * The node's ledger: an append-only RFC 9162 Merkle log in the store's database. Everything is
 * derived from committed rows (entries, perfect-subtree nodes, signed tree heads): no in-memory state
 * has to survive a crash, and any number of Ledger objects or processes may share one database.
 *
 * Appends are serialised: one writer at a time, by the database's lock ('ledger'; an advisory lock
 * inside the transaction on PostgreSQL, the write lock of BEGIN IMMEDIATE on SQLite). An append reads
 * the O(log n) frontier, writes the entries and the subtrees of level >= 2 they complete (level 1 is
 * two leaves away, see store-source.ts), and commits; a crash
 * before the commit leaves nothing behind.
 */
import type { Kysely, Transaction } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import { invalid, notFound } from '../core/errors.js';
import type { Database, Schema } from '../store/index.js';
import type { LedgerEntriesTable } from '../store/tables/ledger.js';
import { insertRows } from './bulk-insert.js';
import { appendToFrontier, consistencyPath, inclusionPath, readFrontier, rootAt } from './compact-tree.js';
import { type EntryInput, entryLeafHash, type LedgerEntry, normaliseInput } from './entry.js';
import { toHex } from './hash.js';
import { type ConsistencyProof, type LedgerProof, PROOF_FORMAT } from './proof.js';
import { STORED_LEVEL, storeNodeSource } from './store-source.js';
import { type SignedTreeHead, type Signer, signTreeHead, toB64u } from './tree-head.js';
import { postorder } from './tree-math.js';

export interface AppendOptions {
  /**
   * Log each (envelopeHash, direction) at most once: an input already logged (a re-delivered
   * envelope) is not appended again, and the entry logged before is returned in its place.
   */
  once?: boolean;
}

export interface LedgerOptions {
  database: Database;
  signer: Signer;
  clock?: Clock;
}

/** Rows per multi-row INSERT: about 4,000 bind parameters, under every driver's limit. */
const ENTRY_CHUNK = 500;
const NODE_CHUNK = 1000;

export const LEDGER_LOCK = 'ledger';

const ENTRY_COLUMNS = [
  'idx',
  'envelope_hash',
  'direction',
  'peer_node_id',
  'agreement_id',
  'kind',
  'time',
  'leaf_hash',
] as const;
const NODE_COLUMNS = ['pos', 'level', 'idx', 'hash'] as const;

type Db = Kysely<Schema>;

export const rowToEntry = (r: LedgerEntriesTable): LedgerEntry => ({
  index: r.idx,
  envelopeHash: r.envelope_hash,
  direction: r.direction,
  peerNodeId: r.peer_node_id,
  agreementId: r.agreement_id,
  kind: r.kind,
  time: r.time,
});

export class Ledger {
  readonly database: Database;
  readonly signer: Signer;
  readonly clock: Clock;
  readonly publicKey: string;

  constructor(opts: LedgerOptions) {
    this.database = opts.database;
    this.signer = opts.signer;
    this.clock = opts.clock ?? systemClock;
    this.publicKey = toB64u(opts.signer.publicKey);
  }

  /** Appends one entry in its own transaction. */
  async append(input: EntryInput, opts: AppendOptions = {}): Promise<LedgerEntry> {
    const [e] = await this.appendMany([input], opts);
    return e!;
  }

  /** Appends entries in one transaction, in order; all or none. Returns them in input order. */
  appendMany(inputs: readonly EntryInput[], opts: AppendOptions = {}): Promise<LedgerEntry[]> {
    return this.database.transaction((tx) => this.appendIn(tx, inputs, opts));
  }

  /**
   * Appends inside the caller's transaction (e.g. with the outbox row of the same envelope). The
   * ledger lock is held until that transaction ends, so keep it short.
   */
  async appendIn(
    tx: Transaction<Schema>,
    inputs: readonly EntryInput[],
    opts: AppendOptions = {},
  ): Promise<LedgerEntry[]> {
    const now = this.clock.now();
    const checked = inputs.map((e) => normaliseInput(e, now));
    if (checked.length === 0) return [];
    await this.database.lock(tx, LEDGER_LOCK);
    const size = await sizeOf(tx);
    const frontier = await readFrontier(storeNodeSource(tx), size);
    // Under the lock, so two deliveries of one envelope cannot both miss each other.
    const logged = opts.once ? await loggedAlready(tx, checked) : new Map<string, LedgerEntry>();
    const result: LedgerEntry[] = [];
    const entries: LedgerEntry[] = [];
    for (const e of checked) {
      // Fields listed rather than spread: a spread copies through the generic path, ~1 us an entry.
      const fresh: LedgerEntry = {
        index: size + entries.length,
        envelopeHash: e.envelopeHash,
        direction: e.direction,
        peerNodeId: e.peerNodeId,
        agreementId: e.agreementId,
        kind: e.kind,
        time: e.time,
      };
      if (opts.once) {
        // Building and looking up the key only when asked: it is a 70-character string per entry.
        const k = onceKey(e);
        const prior = logged.get(k);
        if (prior) {
          result.push(prior);
          continue;
        }
        logged.set(k, fresh);
      }
      entries.push(fresh);
      result.push(fresh);
    }
    if (entries.length === 0) return result;
    const leaves = entries.map((e) => entryLeafHash(e));
    const nodes = appendToFrontier(frontier, size, leaves).nodes.filter((n) => n.level >= STORED_LEVEL);
    const dialect = this.database.dialect;
    // Parameter arrays are sized up front and filled by position: a batch binds about 8,000 values.
    for (let i = 0; i < entries.length; i += ENTRY_CHUNK) {
      const end = Math.min(entries.length, i + ENTRY_CHUNK);
      const params: unknown[] = new Array((end - i) * ENTRY_COLUMNS.length);
      let p = 0;
      for (let j = i; j < end; j++) {
        const e = entries[j]!;
        params[p++] = e.index;
        params[p++] = e.envelopeHash;
        params[p++] = e.direction;
        params[p++] = e.peerNodeId;
        params[p++] = e.agreementId;
        params[p++] = e.kind;
        params[p++] = e.time;
        params[p++] = toHex(leaves[j]!);
      }
      await insertRows(tx, dialect, 'ledger_entries', ENTRY_COLUMNS, params);
    }
    for (let i = 0; i < nodes.length; i += NODE_CHUNK) {
      const end = Math.min(nodes.length, i + NODE_CHUNK);
      const params: unknown[] = new Array((end - i) * NODE_COLUMNS.length);
      let p = 0;
      for (let j = i; j < end; j++) {
        const n = nodes[j]!;
        params[p++] = postorder(n);
        params[p++] = n.level;
        params[p++] = n.index;
        params[p++] = toHex(n.hash);
      }
      await insertRows(tx, dialect, 'ledger_nodes', NODE_COLUMNS, params);
    }
    return result;
  }

  /** The number of entries committed. */
  size(): Promise<number> {
    return sizeOf(this.database.db);
  }

  /** MTH of the first `size` entries (default: all), from O(log n) stored nodes. */
  async root(size?: number): Promise<Uint8Array> {
    const n = size ?? (await this.size());
    await this.checkSize(n);
    return rootAt(storeNodeSource(this.database.db), n);
  }

  async entry(index: number): Promise<LedgerEntry | undefined> {
    const r = await this.database.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('idx', '=', index)
      .executeTakeFirst();
    return r && rowToEntry(r);
  }

  /** The first entry logging this envelope (an envelope is logged once per direction). */
  async findByEnvelope(envelopeHash: string, direction?: 'in' | 'out'): Promise<LedgerEntry | undefined> {
    let q = this.database.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('envelope_hash', '=', envelopeHash);
    if (direction) q = q.where('direction', '=', direction);
    const r = await q.orderBy('idx').limit(1).executeTakeFirst();
    return r && rowToEntry(r);
  }

  /** Up to `limit` entries from index `from`, in order: for paging through the log. */
  async entries(from: number, limit: number): Promise<LedgerEntry[]> {
    const rows = await this.database.db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('idx', '>=', from)
      .orderBy('idx')
      .limit(limit)
      .execute();
    return rows.map(rowToEntry);
  }

  /**
   * A signed tree head of the whole log as it stands. One head is kept per size: asking again at the
   * same size returns the stored head, so heads do not multiply while the log is idle.
   */
  async signTreeHead(): Promise<SignedTreeHead> {
    const db = this.database.db;
    const size = await this.size();
    const existing = await this.treeHeadAt(size);
    if (existing) return existing;
    const root = await rootAt(storeNodeSource(db), size);
    const sth = signTreeHead(this.signer, size, this.clock.now(), root);
    await db
      .insertInto('ledger_tree_heads')
      .values({
        tree_size: sth.treeSize,
        timestamp: sth.timestamp,
        root_hash: sth.rootHash,
        signature: sth.signature,
        public_key: this.publicKey,
      })
      .onConflict((oc) => oc.column('tree_size').doNothing())
      .execute();
    // Another writer may have signed this size first; the stored head is the one that counts.
    return (await this.treeHeadAt(size))!;
  }

  async treeHeadAt(size: number): Promise<SignedTreeHead | undefined> {
    const r = await this.database.db
      .selectFrom('ledger_tree_heads')
      .selectAll()
      .where('tree_size', '=', size)
      .executeTakeFirst();
    return (
      r && { treeSize: r.tree_size, timestamp: r.timestamp, rootHash: r.root_hash, signature: r.signature }
    );
  }

  /** The largest signed tree head stored, if any. */
  async latestTreeHead(): Promise<(SignedTreeHead & { publicKey: string }) | undefined> {
    const r = await this.database.db
      .selectFrom('ledger_tree_heads')
      .selectAll()
      .orderBy('tree_size', 'desc')
      .limit(1)
      .executeTakeFirst();
    return (
      r && {
        treeSize: r.tree_size,
        timestamp: r.timestamp,
        rootHash: r.root_hash,
        signature: r.signature,
        publicKey: r.public_key,
      }
    );
  }

  /** RFC 9162 PATH(index, D[treeSize]) in hex. */
  async inclusionProof(index: number, treeSize: number): Promise<string[]> {
    await this.checkSize(treeSize);
    if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
      throw invalid('ledger.bad_index', `entry index ${index} is outside a tree of size ${treeSize}`);
    }
    return (await inclusionPath(storeNodeSource(this.database.db), index, treeSize)).map(toHex);
  }

  /** RFC 9162 PROOF(first, D[second]): what a peer holding the head of size `first` asks for. */
  async consistencyProof(first: number, second: number): Promise<ConsistencyProof> {
    await this.checkSize(second);
    if (!Number.isSafeInteger(first) || first < 0 || first > second) {
      throw invalid(
        'ledger.bad_size',
        `consistency proof needs 0 <= first <= second, got ${first} and ${second}`,
      );
    }
    const path = await consistencyPath(storeNodeSource(this.database.db), first, second);
    return { first, second, path: path.map(toHex) };
  }

  /**
   * A self-contained proof that the log holds an entry (by index, or by envelope hash given as a
   * string or `{ envelopeHash }`): the entry, its
   * leaf hash, a signed tree head covering it, the inclusion path and the public key. The newest
   * stored head is reused when it covers the entry; `fresh` signs one at the current size.
   */
  async prove(
    target: number | string | { envelopeHash: string },
    opts: { fresh?: boolean } = {},
  ): Promise<LedgerProof> {
    const hash =
      typeof target === 'string' ? target : typeof target === 'number' ? undefined : target.envelopeHash;
    const entry = hash === undefined ? await this.entry(target as number) : await this.findByEnvelope(hash);
    if (!entry) {
      const what = hash === undefined ? `index ${target}` : `envelope ${hash}`;
      throw notFound('ledger.not_found', `the ledger holds no entry for ${what}`);
    }
    let head = opts.fresh ? undefined : await this.latestTreeHead();
    if (!head || head.treeSize <= entry.index) {
      await this.signTreeHead();
      head = (await this.latestTreeHead())!;
    }
    const { publicKey, ...treeHead } = head;
    return {
      format: PROOF_FORMAT,
      entry,
      leafHash: toHex(entryLeafHash(entry)),
      treeHead,
      inclusion: {
        leafIndex: entry.index,
        treeSize: treeHead.treeSize,
        path: await this.inclusionProof(entry.index, treeHead.treeSize),
      },
      publicKey,
    };
  }

  private async checkSize(n: number): Promise<void> {
    if (!Number.isSafeInteger(n) || n < 0 || n > (await this.size())) {
      throw invalid('ledger.bad_size', `tree size ${n} is not between 0 and the log size`);
    }
  }
}

const onceKey = (e: { envelopeHash: string; direction: string }) => `${e.envelopeHash}|${e.direction}`;

async function loggedAlready(
  db: Db,
  inputs: readonly { envelopeHash: string }[],
): Promise<Map<string, LedgerEntry>> {
  const out = new Map<string, LedgerEntry>();
  const hashes = [...new Set(inputs.map((e) => e.envelopeHash))];
  for (let i = 0; i < hashes.length; i += ENTRY_CHUNK) {
    const rows = await db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('envelope_hash', 'in', hashes.slice(i, i + ENTRY_CHUNK))
      .orderBy('idx')
      .execute();
    for (const r of rows) {
      const e = rowToEntry(r);
      if (!out.has(onceKey(e))) out.set(onceKey(e), e);
    }
  }
  return out;
}

async function sizeOf(db: Db): Promise<number> {
  const r = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.max('idx').as('m'))
    .executeTakeFirst();
  return r?.m === null || r?.m === undefined ? 0 : Number(r.m) + 1;
}

export const createLedger = (opts: LedgerOptions): Ledger => new Ledger(opts);
