/**
 * The ledger's contract, run on every back end (ledger.sqlite.test.ts, ledger.postgres.test.ts):
 * append and prove, invalid input, altered proofs, consistency and forks, serialised appends.
 * Tamper detection is in ledger-tamper.contract.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryTree, rootAt } from './compact-tree.js';
import { fill, key, mutate, type Opened, sampleEntry, sharedDatabase, signer } from './contract-support.js';
import { entryBytes } from './entry.js';
import { leafHash, toHex } from './hash.js';
import { createLedger } from './ledger.js';
import { checkConsistency, checkProof } from './proof.js';
import { generateSigner, toB64u } from './tree-head.js';
import { verifyLog } from './verify-log.js';

export type { Opened } from './contract-support.js';

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

    it('logs a re-delivered envelope once when asked to', async () => {
      await withLedger(async (l) => {
        const [a] = await l.appendMany([sampleEntry(1)]);
        const again = await l.appendMany(
          [sampleEntry(2), sampleEntry(1), sampleEntry(2), { ...sampleEntry(1), direction: 'out' }],
          {
            once: true,
          },
        );
        assert.deepEqual(
          again.map((e) => e.index),
          [1, a!.index, 1, 2],
        );
        assert.equal(await l.size(), 3);
        assert.equal((await l.append(sampleEntry(1))).index, 3, 'without `once` every append is logged');
        assert.equal((await verifyLog(l.database)).ok, true);
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
