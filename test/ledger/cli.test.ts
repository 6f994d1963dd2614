/**
 * `parley ledger status|verify|prove|check-proof` through main(), on real nodes (SQLite files):
 * entries appended through the library, tampering done with SQL behind the ledger's back.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openNode } from '../../src/app/index.js';
import { loadConfig } from '../../src/core/index.js';
import type { EntryInput } from '../../src/ledger/index.js';
import { runCli, tempDirs } from '../support/cli.js';

const tmp = tempDirs('parley-ledger-cli-');
const run = runCli;

const hash = (i: number) => i.toString(16).padStart(64, '0');
const input = (i: number): EntryInput => ({
  envelopeHash: hash(i + 1),
  direction: i % 2 ? 'in' : 'out',
  peerNodeId: 'node-peer',
  agreementId: null,
  kind: 'message',
  time: Date.UTC(2026, 0, 1) + i * 1000,
});

/** A node with `n` entries and a signed tree head over them; returns its data directory. */
async function nodeWith(n: number): Promise<string> {
  const data = path.join(tmp(), 'node');
  assert.equal((await run('init', '--data', data)).code, 0);
  const node = await openNode(loadConfig({ dataDir: data }));
  try {
    await node.ledger.appendMany(Array.from({ length: n }, (_, i) => input(i)));
    await node.ledger.signTreeHead();
  } finally {
    await node.close();
  }
  return data;
}

async function withNode(data: string, fn: (n: Awaited<ReturnType<typeof openNode>>) => Promise<void>) {
  const node = await openNode(loadConfig({ dataDir: data }));
  try {
    await fn(node);
  } finally {
    await node.close();
  }
}

test('status and verify on an intact log', async () => {
  const data = await nodeWith(20);
  const s = await run('ledger', 'status', '--data', data);
  assert.equal(s.code, 0, s.err);
  assert.match(s.out, /^size\s+20$/m);
  assert.match(s.out, /^tree head\s+size 20, /m);
  const v = await run('ledger', 'verify', '--data', data);
  assert.equal(v.code, 0, v.err);
  assert.match(v.out, /^ok: 20 entries, root [0-9a-f]{64}, 1 signed tree heads checked$/);
});

test('verify names the first altered entry', async () => {
  const data = await nodeWith(20);
  await withNode(data, async (node) => {
    // One byte of entry 7's envelope hash, and a later one: the first is named.
    await sql`update ledger_entries set envelope_hash = ${hash(999)} where idx = 7`.execute(node.database.db);
    await sql`update ledger_entries set kind = 'ack' where idx = 12`.execute(node.database.db);
  });
  const v = await run('ledger', 'verify', '--data', data);
  assert.equal(v.code, 1);
  assert.equal(v.out, '');
  assert.equal(v.err.split('\n').length, 1, v.err);
  assert.match(v.err, /^parley: ledger entry 7 is bad \(entry_altered\): /);
});

test('verify names a deleted entry', async () => {
  const data = await nodeWith(20);
  await withNode(data, async (node) => {
    await sql`delete from ledger_entries where idx = 5`.execute(node.database.db);
  });
  const v = await run('ledger', 'verify', '--data', data);
  assert.equal(v.code, 1);
  assert.match(v.err, /^parley: ledger entry 5 is bad \(entry_missing\): /);
});

test('prove writes a proof that check-proof accepts offline; an altered proof fails', async () => {
  const data = await nodeWith(13);
  const byIndex = await run('ledger', 'prove', '--data', data, '4');
  assert.equal(byIndex.code, 0, byIndex.err);
  const proof = JSON.parse(byIndex.out);
  assert.equal(proof.entry.index, 4);
  assert.equal(proof.receipt, undefined);
  const byHash = await run('ledger', 'prove', '--data', data, hash(5).toUpperCase());
  assert.deepEqual(JSON.parse(byHash.out), proof, 'the hash (any case) finds the same entry');

  const dir = tmp();
  const file = path.join(dir, 'proof.json');
  writeFileSync(file, byIndex.out);
  // The node is not needed: its data directory is gone before the check.
  rmSync(data, { recursive: true, force: true });
  const ok = await run('ledger', 'check-proof', file);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^ok: entry 4 \(envelope 0{63}5\) is in the log of key /);

  const alter = (name: string, f: (p: typeof proof) => void, expected: RegExp) => {
    const p = JSON.parse(readFileSync(file, 'utf8'));
    f(p);
    const out = path.join(dir, `${name}.json`);
    writeFileSync(out, JSON.stringify(p));
    return run('ledger', 'check-proof', out).then((r) => {
      assert.equal(r.code, 1, name);
      assert.match(r.err, expected, name);
    });
  };
  await alter('entry', (p) => (p.entry.kind = 'ack'), /\[ledger\.entry_mismatch\]$/);
  await alter('head', (p) => (p.treeHead.timestamp += 1), /\[ledger\.bad_signature\]$/);
  await alter(
    'path',
    (p) => (p.inclusion.path[0] = p.inclusion.path[0].replace(/^./, (c: string) => (c === '0' ? '1' : '0'))),
    /\[ledger\.bad_inclusion\]$/,
  );
  writeFileSync(path.join(dir, 'junk.json'), '{"format": ');
  const junk = await run('ledger', 'check-proof', path.join(dir, 'junk.json'));
  assert.equal(junk.code, 1);
  assert.match(junk.err, /not a readable JSON proof/);
});

test('prove of an unknown envelope or a bad argument fails with one line', async () => {
  const data = await nodeWith(2);
  const r = await run('ledger', 'prove', '--data', data, hash(77));
  assert.equal(r.code, 1);
  assert.match(r.err, /no entry for envelope/);
  const bad = await run('ledger', 'prove', '--data', data, 'xyz');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /neither an entry index nor/);
});
