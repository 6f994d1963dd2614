/**
 * Gossip of tree heads between two ledgers on real SQLite files: an honest log grows and every
 * head is accepted with its consistency proof; a log rewritten under the same key (a fork) is
 * detected, the observer records an alert with the evidence, and the forked node, shown the
 * evidence, confirms it against its own log and records the alert too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ManualClock } from '../../src/core/index.js';
import {
  checkConsistency,
  createGossip,
  createLedger,
  type EntryInput,
  generateSigner,
  type KeyedTreeHead,
  type Ledger,
  type Signer,
} from '../../src/ledger/index.js';
import { type Database, openDatabase } from '../../src/store/index.js';

const dirs: string[] = [];
const dbs: Database[] = [];
after(async () => {
  for (const d of dbs) await d.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freshDb(): Promise<Database> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-gossip-'));
  dirs.push(dir);
  const db = await openDatabase(`sqlite:${path.join(dir, 'g.db')}`);
  await db.migrate();
  dbs.push(db);
  return db;
}

const clock = new ManualClock(Date.UTC(2026, 3, 1));
const hash = (i: number) => i.toString(16).padStart(64, '0');
const input = (i: number, variant = ''): EntryInput => ({
  envelopeHash: hash(i + 1),
  direction: 'in',
  peerNodeId: 'cert-a',
  agreementId: null,
  kind: variant ? `message.${variant}` : 'message',
  time: Date.UTC(2026, 0, 1) + i * 1000,
});

async function ledgerOf(signer: Signer, entries: EntryInput[]): Promise<Ledger> {
  const l = createLedger({ database: await freshDb(), signer, clock });
  if (entries.length) await l.appendMany(entries);
  return l;
}

async function head(l: Ledger): Promise<KeyedTreeHead> {
  clock.advance(1000);
  return { ...(await l.signTreeHead()), publicKey: l.publicKey };
}

const range = (from: number, to: number, variant = '') =>
  Array.from({ length: to - from }, (_, i) => input(from + i, variant));

test('an honest log: every new head is accepted with its consistency proof', async () => {
  const b = await ledgerOf(generateSigner(), range(0, 5));
  const seen = createGossip({ database: await freshDb(), clock });
  const h5 = await head(b);
  assert.deepEqual(await seen.observeHead('cert-b', h5), { ok: true }, 'the first head needs no proof');

  await b.appendMany(range(5, 13));
  const h13 = await head(b);
  const needed = await seen.observeHead('cert-b', h13);
  assert.equal(needed.ok, false);
  assert.equal(!needed.ok && needed.code, 'ledger.proof_needed');
  assert.deepEqual(!needed.ok && 'first' in needed && [needed.first, needed.second], [5, 13]);

  const r = await seen.observeHead('cert-b', h13, await b.consistencyProof(5, 13));
  assert.equal(r.ok, true);
  assert.equal(r.ok && r.previous?.treeSize, 5);
  assert.equal((await seen.observeHead('cert-b', h13)).ok, true, 'a head seen before needs no proof');
  // An older head shown late is checked against the newest held, the proof running the other way.
  const h5again = { ...(await b.treeHeadAt(5))!, publicKey: b.publicKey };
  assert.equal((await seen.observeHead('cert-b', h5again)).ok, true);
  assert.deepEqual(
    (await seen.headsOf('cert-b')).map((h) => h.treeSize),
    [5, 13],
  );
  assert.equal((await seen.latestHead('cert-b'))?.treeSize, 13);
  assert.deepEqual(await seen.alerts(), []);
});

test('a rewritten history is detected, with evidence, on both sides', async () => {
  const key = generateSigner();
  const honest = await ledgerOf(key, range(0, 8));
  const observer = createGossip({ database: await freshDb(), clock });
  const h8 = await head(honest);
  assert.equal((await observer.observeHead('cert-b', h8)).ok, true);

  // The node rewrites entry 5 onwards under the same key and keeps growing.
  const forked = await ledgerOf(key, [...range(0, 5), ...range(5, 11, 'rewritten')]);
  const h11 = await head(forked);
  const proof = await forked.consistencyProof(8, 11);
  const r = await observer.observeHead('cert-b', h11, proof);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.code, 'ledger.fork');
  const alert = !r.ok && 'alert' in r ? r.alert : assert.fail('no alert');
  assert.equal(alert.peer, 'cert-b');
  assert.equal(alert.evidence.older.treeSize, 8);
  assert.equal(alert.evidence.newer.treeSize, 11);
  assert.equal(alert.evidence.conclusive, false);
  assert.deepEqual(alert.evidence.publicKeys, [forked.publicKey]);
  // The evidence stands on its own: anyone can re-run the check.
  const again = checkConsistency(
    alert.evidence.older,
    alert.evidence.newer,
    alert.evidence.proof,
    forked.publicKey,
  );
  assert.equal(!again.ok && again.code, 'ledger.fork');
  const stored = await observer.alerts('cert-b');
  assert.equal(stored.length, 1);
  assert.deepEqual(stored[0], alert);
  assert.equal((await observer.latestHead('cert-b'))?.treeSize, 8, 'the forked head is not taken');

  // Shown the evidence, the forked node finds a head it signed that its log no longer matches.
  const accused = createGossip({ database: forked.database, clock });
  const back = await accused.acceptForkEvidence('cert-a', alert.evidence, forked);
  assert.ok(back, 'the evidence stands against the forked log');
  assert.match(back.reason, /sizes 8\)/);
  assert.equal((await accused.alerts('cert-a')).length, 1);

  // The same evidence shown to a node whose log holds both heads does not stand.
  const clean = createGossip({ database: honest.database, clock });
  const honestHeads = { older: h8, newer: { ...(await head(honest)) }, conclusive: false };
  assert.equal(await clean.acceptForkEvidence('cert-a', honestHeads, honest), undefined);
  assert.deepEqual(await clean.alerts(), []);
});

test('two heads of one size with different roots are a conclusive fork, no proof needed', async () => {
  const key = generateSigner();
  const one = await ledgerOf(key, range(0, 6));
  const two = await ledgerOf(key, range(0, 6, 'other'));
  const observer = createGossip({ database: await freshDb(), clock });
  assert.equal((await observer.observeHead('cert-b', await head(one))).ok, true);
  const r = await observer.observeHead('cert-b', await head(two));
  assert.equal(!r.ok && r.code, 'ledger.fork');
  assert.equal(!r.ok && 'alert' in r && r.alert.evidence.conclusive, true);
});

test('a head not signed by its key, or malformed, is refused and nothing is recorded', async () => {
  const b = await ledgerOf(generateSigner(), range(0, 3));
  const observer = createGossip({ database: await freshDb(), clock });
  const h = await head(b);
  const forged = await observer.observeHead('cert-b', { ...h, treeSize: 4 });
  assert.equal(!forged.ok && forged.code, 'ledger.bad_signature');
  const other = generateSigner();
  const wrongKey = await observer.observeHead('cert-b', {
    ...h,
    publicKey: Buffer.from(other.publicKey).toString('base64url'),
  });
  assert.equal(!wrongKey.ok && wrongKey.code, 'ledger.bad_signature');
  const junk = await observer.observeHead('cert-b', { ...h, rootHash: 'zz' });
  assert.equal(!junk.ok && junk.code, 'ledger.proof_malformed');
  assert.deepEqual(await observer.headsOf('cert-b'), []);
  assert.deepEqual(await observer.alerts(), []);
});
