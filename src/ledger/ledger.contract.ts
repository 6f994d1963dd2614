/**
 * The ledger's contract, run on every back end (ledger.sqlite.test.ts, ledger.postgres.test.ts):
 * append and prove, consistency and forks, tamper detection naming the first bad index, and
 * serialised appends from two connections.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import type { Database } from '../store/index.js';
import { MemoryTree, rootAt } from './compact-tree.js';
import type { EntryInput } from './entry.js';
import { entryBytes } from './entry.js';
import { leafHash, toHex } from './hash.js';
import { createLedger, type Ledger } from './ledger.js';
import { checkConsistency, checkProof } from './proof.js';
import { generateSigner, toB64u } from './tree-head.js';
import { verifyLog } from './verify-log.js';

export interface Opened {
  database: Database;
  /** A second connection to the same database. */
  openAnother(): Promise<Database>;
  /**
   * Whether two connections may hold transactions at once in one process. Not on SQLite: its busy
   * handler blocks the only thread, so the first connection could never commit. There one process
   * owns the file and its single connection serialises transactions.
   */
  concurrentConnections: boolean;
  cleanup(): Promise<void>;
}

export const sampleEntry = (i: number, salt = ''): EntryInput => ({
  envelopeHash: createHash('sha256').update(`envelope ${i}${salt}`).digest('hex'),
  direction: i % 3 === 0 ? 'out' : 'in',
  peerNodeId: `node-${i % 4}`,
  agreementId: i % 5 === 0 ? null : `agreement-${i % 2}`,
  kind: i % 7 === 0 ? 'receipt' : 'message',
  time: Date.parse('2026-03-01T00:00:00.000Z') + i * 1000,
});

const signer = generateSigner();
const key = toB64u(signer.publicKey);

/** One database per suite (creating a PostgreSQL database costs a second); tables emptied per test. */
function sharedDatabase(open: () => Promise<Opened>) {
  let opened: Opened | undefined;
  before(async () => {
    opened = await open();
    await opened.database.migrate();
  });
  after(async () => {
    await opened?.database.close();
    await opened?.cleanup();
  });
  return async (fn: (l: Ledger, o: Opened) => Promise<void>): Promise<void> => {
    const o = opened!;
    for (const t of ['ledger_entries', 'ledger_nodes', 'ledger_tree_heads'] as const) {
      await o.database.db.deleteFrom(t).execute();
    }
    await fn(createLedger({ database: o.database, signer, clock: new ManualClock() }), o);
  };
}

/** Appends n entries in uneven batches and signs a head at a few sizes. */
async function fill(l: Ledger, n: number, salt = ''): Promise<void> {
  let i = (await l.size()) as number;
  const end = i + n;
  while (i < end) {
    const b = Math.min(end - i, 1 + (i % 9));
    await l.appendMany(Array.from({ length: b }, (_, j) => sampleEntry(i + j, salt)));
    i += b;
    if (i % 4 === 0) await l.signTreeHead();
  }
  await l.signTreeHead();
}

/** Changes the character at `pos` of a text value to another one of the same kind. */
function mutate(s: string, pos: number): string {
  const p = pos % s.length;
  const c = s[p]!;
  const r = /[0-9a-f]/.test(c)
    ? c === 'a'
      ? 'b'
      : 'a'
    : /[0-9]/.test(c)
      ? c === '1'
        ? '2'
        : '1'
      : c === 'x'
        ? 'y'
        : 'x';
  return s.slice(0, p) + r + s.slice(p + 1);
}

const ENTRY_COLUMNS = [
  'envelope_hash',
  'direction',
  'peer_node_id',
  'agreement_id',
  'kind',
  'time',
  'leaf_hash',
] as const;

export function ledgerContract(name: string, open: () => Promise<Opened>): void {
  describe(`Ledger (${name})`, () => {
    const withLedger = sharedDatabase(open);
    it('appends, recovers its size and roots from the rows, and proves each entry offline', async () => {
      await withLedger(async (l, o) => {
        assert.equal(await l.size(), 0);
        await fill(l, 37);
        assert.equal(await l.size(), 37);
        const tree = new MemoryTree();
        const entries = await l.entries(0, 100);
        assert.deepEqual(
          entries.map((e) => e.index),
          Array.from({ length: 37 }, (_, i) => i),
        );
        tree.append(entries.map((e) => leafHash(entryBytes(e))));
        for (const n of [0, 1, 5, 16, 37]) assert.equal(toHex(await l.root(n)), toHex(await rootAt(tree, n)));
        // A second Ledger object over another connection sees the same log: no state lives in memory.
        const other = await o.openAnother();
        try {
          const l2 = createLedger({ database: other, signer });
          assert.equal(await l2.size(), 37);
          assert.equal(toHex(await l2.root()), toHex(await l.root()));
        } finally {
          await other.close();
        }
        for (const e of entries) {
          const proof = await l.prove(e.index);
          assert.deepEqual(checkProof(JSON.parse(JSON.stringify(proof))), { ok: true }, `entry ${e.index}`);
          assert.equal(proof.inclusion.path.length <= Math.ceil(Math.log2(proof.treeHead.treeSize)), true);
        }
        const byHash = await l.prove({ envelopeHash: entries[20]!.envelopeHash });
        assert.equal(byHash.entry.index, 20);
        assert.equal((await l.prove(entries[21]!.envelopeHash)).entry.index, 21);
        assert.deepEqual(checkProof(byHash, { trustedKeys: [key] }), { ok: true });
        assert.equal(checkProof(byHash, { trustedKeys: ['x'.repeat(43)] }).ok, false);
        await assert.rejects(l.prove(999), { code: 'ledger.not_found' });
        assert.deepEqual(await verifyLog(o.database), {
          ok: true,
          size: 37,
          rootHash: toHex(await l.root()),
          treeHeadsChecked: (
            await o.database.db.selectFrom('ledger_tree_heads').select('tree_size').execute()
          ).length,
        });
      });
    });

    it('refuses invalid entries, naming the field, and writes nothing', async () => {
      await withLedger(async (l) => {
        const bad = [
          { ...sampleEntry(1), envelopeHash: 'XYZ' },
          { ...sampleEntry(1), direction: 'sideways' as 'in' },
          { ...sampleEntry(1), kind: 'Not A Kind' },
          { ...sampleEntry(1), peerNodeId: '' },
          { ...sampleEntry(1), time: 'yesterday' },
        ];
        for (const e of bad)
          await assert.rejects(l.appendMany([sampleEntry(0), e]), { code: 'ledger.invalid_entry' });
        assert.equal(await l.size(), 0);
      });
    });

    it('rejects altered proofs', async () => {
      await withLedger(async (l) => {
        await fill(l, 21);
        const proof = await l.prove(13);
        const alter = (f: (p: typeof proof) => void) => {
          const c = structuredClone(proof);
          f(c);
          return checkProof(c);
        };
        assert.equal(alter((p) => (p.entry.peerNodeId = 'node-x')).ok, false);
        assert.equal(alter((p) => (p.entry.index = 12)).ok, false);
        assert.equal(alter((p) => (p.inclusion.leafIndex = 12)).ok, false);
        assert.equal(alter((p) => (p.treeHead.treeSize += 1)).ok, false);
        assert.equal(alter((p) => (p.inclusion.treeSize += 1)).ok, false);
        assert.equal(alter((p) => (p.treeHead.timestamp += 1)).ok, false);
        assert.equal(alter((p) => (p.treeHead.rootHash = mutate(p.treeHead.rootHash, 5))).ok, false);
        assert.equal(alter((p) => (p.inclusion.path[1] = mutate(p.inclusion.path[1]!, 3))).ok, false);
        assert.equal(alter((p) => p.inclusion.path.pop()).ok, false);
        assert.equal(alter((p) => p.inclusion.path.push(p.leafHash)).ok, false);
        assert.equal(alter((p) => (p.publicKey = toB64u(generateSigner().publicKey))).ok, false);
        assert.deepEqual(
          alter(() => {}),
          { ok: true },
        );
      });
    });

    it('proves consistency between its signed heads and detects a forked head', async () => {
      await withLedger(async (l, o) => {
        await fill(l, 10);
        const old = await l.signTreeHead();
        await fill(l, 23);
        const now = await l.signTreeHead();
        for (const m of [0, 1, 4, 8, 10]) {
          const h = await o.database.db
            .selectFrom('ledger_tree_heads')
            .selectAll()
            .where('tree_size', '=', m)
            .executeTakeFirst();
          if (!h) continue;
          const sth = {
            treeSize: h.tree_size,
            timestamp: h.timestamp,
            rootHash: h.root_hash,
            signature: h.signature,
          };
          const r = checkConsistency(sth, now, await l.consistencyProof(m, now.treeSize), key);
          assert.deepEqual(r, { ok: true }, `from ${m}`);
        }
        // The log rewrites history from entry 6 on and signs new heads with the same key.
        await o.database.db.deleteFrom('ledger_entries').where('idx', '>=', 6).execute();
        await o.database.db.deleteFrom('ledger_nodes').execute();
        await o.database.db.deleteFrom('ledger_tree_heads').execute();
        const kept = await l.entries(0, 6);
        await o.database.db.deleteFrom('ledger_entries').execute();
        await l.appendMany(kept);
        await fill(l, 4, 'forked');
        const forkSame = await l.signTreeHead();
        assert.equal(forkSame.treeSize, old.treeSize);
        const same = checkConsistency(old, forkSame, undefined, key);
        assert.equal(same.ok, false);
        assert.equal(same.ok === false && same.code, 'ledger.fork');
        assert.equal('evidence' in same && same.evidence.conclusive, true);
        await fill(l, 30, 'forked');
        const forkNew = await l.signTreeHead();
        const r = checkConsistency(
          old,
          forkNew,
          await l.consistencyProof(old.treeSize, forkNew.treeSize),
          key,
        );
        assert.equal(r.ok === false && r.code, 'ledger.fork');
        // Heads in either order; a wrong key is not a fork.
        assert.equal(
          checkConsistency(forkNew, old, await l.consistencyProof(10, forkNew.treeSize), key).ok,
          false,
        );
        const other = toB64u(generateSigner().publicKey);
        const wrongKey = checkConsistency(
          old,
          forkNew,
          await l.consistencyProof(10, forkNew.treeSize),
          other,
        );
        assert.equal(wrongKey.ok === false && wrongKey.code, 'ledger.bad_signature');
      });
    });

    it('names the first bad index when any byte of any entry is changed', async () => {
      await withLedger(async (l, o) => {
        await fill(l, 24);
        const db = o.database.db;
        for (let i = 0; i < 24; i++) {
          for (const [c, col] of ENTRY_COLUMNS.entries()) {
            if ((i + c) % 3 !== 0 && i !== 23) continue; // every column, a third of the indices each
            const row = await db
              .selectFrom('ledger_entries')
              .selectAll()
              .where('idx', '=', i)
              .executeTakeFirstOrThrow();
            const before = row[col];
            const after = before === null ? 'agreement-x' : mutate(before, i * 7 + c);
            await db
              .updateTable('ledger_entries')
              .set({ [col]: after })
              .where('idx', '=', i)
              .execute();
            const r = await verifyLog(o.database);
            assert.equal(r.ok, false, `${col} of ${i}`);
            assert.equal(r.problem?.kind, 'entry_altered', `${col} of ${i}`);
            assert.equal(r.problem?.index, i, `${col} of ${i}`);
            await db
              .updateTable('ledger_entries')
              .set({ [col]: before })
              .where('idx', '=', i)
              .execute();
          }
        }
        assert.equal((await verifyLog(o.database)).ok, true);
      });
    });

    it('names deleted and reordered entries, altered nodes and heads', async () => {
      await withLedger(async (l, o) => {
        await fill(l, 16);
        await fill(l, 14);
        const db = o.database.db;
        const all = await db.selectFrom('ledger_entries').selectAll().orderBy('idx').execute();
        const restore = async () => {
          await db.deleteFrom('ledger_entries').execute();
          await db.insertInto('ledger_entries').values(all).execute();
          assert.equal((await verifyLog(o.database)).ok, true);
        };
        // Deleted: in the middle, and at the end (only a signed head can tell).
        for (const i of [0, 7, 18]) {
          await db.deleteFrom('ledger_entries').where('idx', '=', i).execute();
          const r = await verifyLog(o.database, { pageSize: 8 });
          assert.deepEqual([r.problem?.kind, r.problem?.index], ['entry_missing', i]);
          await restore();
        }
        await db.deleteFrom('ledger_entries').where('idx', '=', 29).execute();
        const end = await verifyLog(o.database);
        assert.deepEqual([end.problem?.kind, end.problem?.index], ['tree_head_beyond_log', 29]);
        await restore();
        // Reordered: whole rows swapped (each keeps its leaf hash), or contents moved without it.
        for (const [i, j] of [
          [3, 4],
          [5, 20],
          [0, 29],
        ] as const) {
          const a = all[i]!;
          const b = all[j]!;
          const { idx: _a, ...rowA } = a;
          const { idx: _b, ...rowB } = b;
          await db.updateTable('ledger_entries').set(rowB).where('idx', '=', i).execute();
          await db.updateTable('ledger_entries').set(rowA).where('idx', '=', j).execute();
          const r = await verifyLog(o.database);
          assert.deepEqual([r.problem?.kind, r.problem?.index], ['entry_altered', i], `swap ${i} ${j}`);
          await restore();
          const { leaf_hash: _la, ...contentA } = rowA;
          const { leaf_hash: _lb, ...contentB } = rowB;
          await db.updateTable('ledger_entries').set(contentB).where('idx', '=', i).execute();
          await db.updateTable('ledger_entries').set(contentA).where('idx', '=', j).execute();
          const r2 = await verifyLog(o.database);
          assert.deepEqual([r2.problem?.kind, r2.problem?.index], ['entry_altered', i], `move ${i} ${j}`);
          await restore();
        }
        // An interior node altered or deleted.
        const node = await db
          .selectFrom('ledger_nodes')
          .selectAll()
          .where('level', '=', 2)
          .where('idx', '=', 3)
          .executeTakeFirstOrThrow();
        await db
          .updateTable('ledger_nodes')
          .set({ hash: mutate(node.hash, 9) })
          .where('pos', '=', node.pos)
          .execute();
        let r = await verifyLog(o.database);
        assert.deepEqual([r.problem?.kind, r.problem?.index, r.problem?.level], ['node_mismatch', 12, 2]);
        await db.deleteFrom('ledger_nodes').where('pos', '=', node.pos).execute();
        r = await verifyLog(o.database);
        assert.deepEqual([r.problem?.kind, r.problem?.index], ['node_missing', 12]);
        await db.insertInto('ledger_nodes').values(node).execute();
        // A signed head altered; a head whose key is not trusted.
        const head = await db
          .selectFrom('ledger_tree_heads')
          .selectAll()
          .where('tree_size', '=', 16)
          .executeTakeFirstOrThrow();
        await db
          .updateTable('ledger_tree_heads')
          .set({ root_hash: mutate(head.root_hash, 2) })
          .where('tree_size', '=', 16)
          .execute();
        r = await verifyLog(o.database);
        assert.deepEqual([r.problem?.kind, r.problem?.treeSize], ['tree_head_bad_signature', 16]);
        await db.updateTable('ledger_tree_heads').set(head).where('tree_size', '=', 16).execute();
        assert.equal((await verifyLog(o.database, { trustedKeys: [key] })).ok, true);
        assert.equal(
          (await verifyLog(o.database, { trustedKeys: ['k'] })).problem?.kind,
          'tree_head_bad_signature',
        );
        // History rewritten from entry 17 with every hash recomputed: only the signed heads tell.
        await db.deleteFrom('ledger_entries').where('idx', '>=', 17).execute();
        await db.deleteFrom('ledger_nodes').where('pos', '>', 30).execute();
        const heads = await db.selectFrom('ledger_tree_heads').selectAll().execute();
        await db.deleteFrom('ledger_tree_heads').execute();
        await l.appendMany(Array.from({ length: 13 }, (_, k) => sampleEntry(17 + k, 'rewritten')));
        await db.insertInto('ledger_tree_heads').values(heads).execute();
        r = await verifyLog(o.database);
        assert.equal(r.problem?.kind, 'tree_head_mismatch');
        assert.equal(r.problem?.index, 16, 'the last head that still matches covers 16 entries');
      });
    });

    it('serialises appends from two connections: no index twice, no gap', async () => {
      await withLedger(async (l, o) => {
        const other = o.concurrentConnections ? await o.openAnother() : o.database;
        try {
          const l2 = createLedger({ database: other, signer });
          const jobs = [];
          for (let k = 0; k < 12; k++) {
            const target = k % 2 ? l : l2;
            jobs.push(
              target.appendMany(Array.from({ length: 1 + (k % 5) }, (_, j) => sampleEntry(k * 10 + j))),
            );
          }
          const done = (await Promise.all(jobs)).flat();
          const indices = done.map((e) => e.index).sort((a, b) => a - b);
          assert.deepEqual(
            indices,
            Array.from({ length: done.length }, (_, i) => i),
          );
          const r = await verifyLog(o.database);
          assert.equal(r.ok, true);
          assert.equal(r.size, done.length);
        } finally {
          if (other !== o.database) await other.close();
        }
      });
    });
  });
}
