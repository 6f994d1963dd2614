/**
 * The inbound path without HTTP: one transaction per envelope, the receipt hook where the ledger
 * appends (here the real ledger, through appendIn on the receiving transaction), rollback of
 * everything when a hook or handler throws, and the store-backed replay guard (atomic, pruned).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ManualClock } from '../../core/index.js';
import { createEnvelope, encodeJsonPayload, generateIdentity, toB64u, toHex } from '../../crypto/index.js';
import { createLedger, ed25519Signer } from '../../ledger/index.js';
import { type Database, openDatabase } from '../../store/index.js';
import { createPeerServices } from './services.js';
import { StoreReplayGuard } from './store-replay-guard.js';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-inbox-'));
const dbs: Database[] = [];
after(async () => {
  for (const d of dbs) await d.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setup() {
  const clock = new ManualClock(Date.parse('2026-03-01T00:00:00.000Z'));
  const database = await openDatabase(`sqlite:${path.join(dir, `${dbs.length}.db`)}`);
  dbs.push(database);
  await database.migrate();
  const me = generateIdentity({ nodeId: 'cert-b' });
  const sender = generateIdentity({ nodeId: 'cert-a' });
  const services = createPeerServices({ database, identity: me, party: 'B', clock });
  await database.db
    .insertInto('peers')
    .values({
      node_id: 'cert-a',
      party: 'A',
      url: 'http://127.0.0.1:1',
      signing_key: toB64u(sender.signing.publicKey),
      agreement_key: toB64u(sender.agreement.publicKey),
      fingerprint: '-',
      descriptor: '{}',
      status: 'confirmed',
      added_at: '2026-03-01T00:00:00.000Z',
    })
    .execute();
  const ping = () =>
    createEnvelope({
      identity: sender,
      type: 'peer.ping',
      recipients: [{ node: 'cert-b', key: me.agreement.publicKey }],
      agreement: null,
      payload: encodeJsonPayload({}),
      clock,
    });
  const count = async (t: 'peer_seen_envelopes' | 'ledger_entries') =>
    Number(
      (
        await database.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { clock, database, me, services, ping, count };
}

test('the receipt hook appends to the ledger in the receiving transaction', async () => {
  const { database, me, services, ping, count, clock } = await setup();
  const ledger = createLedger({ database, signer: ed25519Signer(me.signing.privateKey), clock });
  services.inbox.receiptHook = async ({ opened, tx, result }) => {
    const [e] = await ledger.appendIn(tx, [
      {
        envelopeHash: toHex(opened.hash),
        direction: 'in',
        peerNodeId: opened.envelope.sender.node,
        agreementId: opened.envelope.agreement,
        kind: opened.envelope.type,
      },
    ]);
    return { index: e!.index, result };
  };
  const env = ping();
  const r = await services.inbox.receive(env.bytes);
  assert.deepEqual(r.receipt, { index: 0, result: { pong: '2026-03-01T00:00:00.000Z' } });
  assert.equal(r.hash, toHex(env.hash));
  assert.equal((await ledger.findByEnvelope(r.hash, 'in'))?.index, 0);

  // A hook that fails after the ledger append: the append and the replay id roll back together.
  services.inbox.receiptHook = async ({ opened, tx }) => {
    await ledger.appendIn(tx, [
      {
        envelopeHash: toHex(opened.hash),
        direction: 'in',
        peerNodeId: 'cert-a',
        agreementId: null,
        kind: 'x',
      },
    ]);
    throw new Error('disk full');
  };
  await assert.rejects(services.inbox.receive(ping().bytes), /disk full/);
  assert.equal(await count('ledger_entries'), 1);
  assert.equal(await count('peer_seen_envelopes'), 1);
});

test('the default receipt is signed by the receiver over the envelope hash', async () => {
  const { services, ping, me } = await setup();
  const r = await services.inbox.receive(ping().bytes);
  const receipt = r.receipt as Record<string, string>;
  assert.equal(receipt.type, 'parley.receipt');
  assert.equal(receipt.hash, r.hash);
  assert.equal(receipt.key, toB64u(me.signing.publicKey));
  assert.equal(receipt.sig?.length, 86);
});

test('two concurrent deliveries of one envelope: exactly one is accepted', async () => {
  const { services, ping, count } = await setup();
  const env = ping();
  const results = await Promise.allSettled([
    services.inbox.receive(env.bytes),
    services.inbox.receive(env.bytes),
  ]);
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.equal(rejected.reason.code, 'envelope.replay');
  assert.equal(await count('peer_seen_envelopes'), 1);
});

test('the replay guard forgets ids once their envelopes have expired (plus the grace)', async () => {
  const { database, clock } = await setup();
  const guard = new StoreReplayGuard(database.db, clock);
  const now = clock.now();
  assert.equal(await guard.seen('id-1', now + 60_000), false);
  assert.equal(await guard.seen('id-1', now + 60_000), true);
  assert.equal(await guard.seen('id-2', now + 3_600_000), false);
  assert.equal(await guard.prune(), 0);
  clock.advance(60_000 + 5 * 60_000 + 1);
  assert.equal(await guard.prune(), 1);
  assert.equal(await guard.seen('id-2', now + 3_600_000), true, 'id-2 is still remembered');
});

test('handlers per type: one each, and unknown types are refused', async () => {
  const { services } = await setup();
  assert.throws(() => services.inbox.on('peer.ping', async () => 1), { code: 'peer.duplicate_handler' });
});
