/**
 * Receipts: made and checked as a library (every field the sender relies on is covered by a
 * check), kept and found on the sender's side, and end to end over HTTP between two real nodes,
 * down to `parley ledger prove` carrying the receipt and `check-proof` checking it offline.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/output.js';
import { ManualClock } from '../../src/core/index.js';
import {
  checkReceipt,
  createLedger,
  generateSigner,
  type Ledger,
  makeReceipt,
  type Receipt,
  receiptStore,
} from '../../src/ledger/index.js';
import { type Database, openDatabase } from '../../src/store/index.js';
import { cli, network, peer } from '../network/harness.js';

const dirs: string[] = [];
const dbs: Database[] = [];
after(async () => {
  for (const d of dbs) await d.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function freshDb(): Promise<Database> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-receipt-'));
  dirs.push(dir);
  const db = await openDatabase(`sqlite:${path.join(dir, 'r.db')}`);
  await db.migrate();
  dbs.push(db);
  return db;
}

/** check-proof needs no node (and takes no --data). */
async function checkProofCli(file: string) {
  const io = memoryIo();
  const code = await main(['node', 'parley', 'ledger', 'check-proof', file], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const hash = (i: number) => i.toString(16).padStart(64, '0');
const clock = new ManualClock(Date.UTC(2026, 2, 1, 12));

async function recipientWith(n: number): Promise<Ledger> {
  const ledger = createLedger({ database: await freshDb(), signer: generateSigner(), clock });
  for (let i = 0; i < n; i++) {
    await ledger.append({
      envelopeHash: hash(i + 1),
      direction: i % 3 ? 'in' : 'out',
      peerNodeId: 'cert-a',
      agreementId: 'agr-1',
      kind: 'message',
    });
  }
  return ledger;
}

test('a receipt checks against the recipient key and the envelope hash, and nothing else', async () => {
  const ledger = await recipientWith(10);
  const entry = (await ledger.findByEnvelope(hash(5), 'in'))!;
  const r = await makeReceipt(ledger, entry, { recipient: 'cert-b' });
  assert.equal(r.recipient, 'cert-b');
  assert.equal(r.envelopeHash, hash(5));
  assert.equal(r.received, entry.time);
  assert.ok(r.treeHead.treeSize > entry.index);
  assert.deepEqual(checkReceipt(r, ledger.publicKey, hash(5)), { ok: true });
  // Survives JSON (the sender stores it as text).
  assert.deepEqual(checkReceipt(JSON.parse(JSON.stringify(r)), ledger.publicKey, hash(5)), { ok: true });

  const other = generateSigner();
  const otherKey = Buffer.from(other.publicKey).toString('base64url');
  assert.equal(checkReceipt(r, otherKey, hash(5)).ok, false, 'another key');
  const wrong = checkReceipt(r, ledger.publicKey, hash(6));
  assert.equal(!wrong.ok && wrong.code, 'ledger.receipt_wrong_envelope');

  const altered = (f: (x: Receipt) => void) => {
    const x = structuredClone(r);
    f(x);
    return checkReceipt(x, ledger.publicKey, hash(5));
  };
  const code = (c: ReturnType<typeof checkReceipt>) => (c.ok ? 'ok' : c.code);
  assert.equal(
    code(altered((x) => (x.received = '2027-01-01T00:00:00.000Z'))),
    'ledger.receipt_bad_signature',
  );
  assert.equal(code(altered((x) => (x.recipient = 'cert-c'))), 'ledger.receipt_bad_signature');
  assert.equal(code(altered((x) => (x.treeHead.timestamp += 1))), 'ledger.receipt_bad_signature');
  assert.equal(
    code(altered((x) => (x.sig = x.sig.replace(/^./, x.sig[0] === 'A' ? 'B' : 'A')))),
    'ledger.receipt_bad_signature',
  );
  assert.equal(code(altered((x) => (x.type = 'x' as never))), 'ledger.receipt_malformed');
  assert.equal(code(checkReceipt(null, ledger.publicKey, hash(5))), 'ledger.receipt_malformed');
});

test('a receipt signed over a bad inclusion path or a false entry does not check', async () => {
  const ledger = await recipientWith(9);
  // Entry 3 is an 'out' entry: a node cannot give a receipt for what it sent.
  const out = (await ledger.entry(3))!;
  const r1 = await makeReceipt(ledger, out, { recipient: 'cert-b' });
  const c1 = checkReceipt(r1, ledger.publicKey, out.envelopeHash);
  assert.equal(!c1.ok && c1.code, 'ledger.receipt_wrong_envelope');

  // A dishonest recipient signs a receipt whose path does not lead to its signed root: the
  // signature verifies, the Merkle check does not.
  const entry = (await ledger.entry(4))!;
  const good = await makeReceipt(ledger, entry, { recipient: 'cert-b' });
  const { sig: _sig, ...body } = good;
  const forgedBody = {
    ...body,
    inclusion: { ...body.inclusion, path: body.inclusion.path.map(() => hash(7)) },
  };
  const { default: canonicalize } = await import('canonicalize');
  const { LEDGER_RECEIPT_CONTEXT } = await import('../../src/ledger/index.js');
  const msg = Buffer.concat([
    Buffer.from(LEDGER_RECEIPT_CONTEXT),
    Buffer.from(canonicalize(forgedBody) as string),
  ]);
  const forged = { ...forgedBody, sig: Buffer.from(ledger.signer.sign(msg)).toString('base64url') };
  const c2 = checkReceipt(forged, ledger.publicKey, entry.envelopeHash);
  assert.equal(!c2.ok && c2.code, 'ledger.bad_inclusion');
});

test('the sender keeps one receipt per envelope and recipient', async () => {
  const recipient = await recipientWith(4);
  const r = await makeReceipt(recipient, (await recipient.entry(1))!, { recipient: 'cert-b' });
  const store = receiptStore(await freshDb());
  assert.equal(await store.receiptFor(r.envelopeHash), undefined);
  assert.equal(await store.keepReceipt(r), true);
  assert.equal(await store.keepReceipt(r), false, 'kept once');
  assert.deepEqual(await store.receiptFor(r.envelopeHash.toUpperCase()), r);
  assert.deepEqual(await store.receiptFor(r.envelopeHash, 'cert-b'), r);
  assert.equal(await store.receiptFor(r.envelopeHash, 'cert-c'), undefined);
  assert.equal(await store.keepReceipt({ ...r, recipient: 'cert-c' }), true);
  assert.equal((await store.receiptsFor(r.envelopeHash)).length, 2);
});

test('over HTTP: the recipient logs and signs, the sender logs, keeps the receipt and proves it offline', async () => {
  const net = network();
  try {
    const a = await net.add('cert-a');
    const b = await net.add('cert-b');
    await peer(a, b);
    await peer(b, a);
    const [d] = await a.node.peer.messenger.send({
      to: ['cert-b'],
      type: 'peer.ping',
      agreement: null,
      payload: {},
    });
    assert.equal(d?.ok, true, d?.message);
    const receipt = d!.receipt as Receipt;
    assert.equal(receipt.recipient, 'cert-b');
    assert.equal(receipt.recipientKey, b.node.ledger.publicKey);

    const inB = await b.node.ledger.findByEnvelope(receipt.envelopeHash, 'in');
    assert.equal(inB?.peerNodeId, 'cert-a');
    assert.equal(inB?.kind, 'peer.ping');
    const outA = await a.node.ledger.findByEnvelope(receipt.envelopeHash, 'out');
    assert.equal(outA?.peerNodeId, 'cert-b');
    assert.deepEqual(await receiptStore(a.node.database).receiptFor(receipt.envelopeHash), receipt);

    const proved = await cli(a, 'ledger', 'prove', receipt.envelopeHash);
    assert.equal(proved.code, 0, proved.err);
    const file = JSON.parse(proved.out);
    assert.deepEqual(file.receipt, receipt);
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-receipt-proof-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'p.json'), proved.out);
    const ok = await checkProofCli(path.join(dir, 'p.json'));
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /receipt checked$/);
    file.receipt.received = '2020-01-01T00:00:00.000Z';
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(file));
    const bad = await checkProofCli(path.join(dir, 'bad.json'));
    assert.equal(bad.code, 1);
    assert.match(bad.err, /\[ledger\.receipt_bad_signature\]$/);
    // Both logs still verify.
    assert.equal((await cli(a, 'ledger', 'verify')).code, 0);
    assert.equal((await cli(b, 'ledger', 'verify')).code, 0);
  } finally {
    await net.close();
  }
});
