/**
 * Tamper detection, run on every back end: verifyLog names the first bad index when any byte of any
 * entry changes, when entries are deleted or reordered, when a subtree hash or a signed head is
 * altered, and when history is rewritten with consistent hashes (only the signed heads tell).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ENTRY_COLUMNS,
  fill,
  key,
  mutate,
  type Opened,
  sampleEntry,
  sharedDatabase,
} from './contract-support.js';
import { verifyLog } from './verify-log.js';

export function tamperContract(name: string, open: () => Promise<Opened>): void {
  describe(`Ledger tamper detection (${name})`, () => {
    const withLedger = sharedDatabase(open);

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
  });
}
