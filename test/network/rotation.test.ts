/**
 * Key rotation over real HTTP on 127.0.0.1, SQLite nodes: B rotates with `parley key rotate`, A
 * follows B's chain with `parley key follow` and only then accepts B's new signatures and seals to
 * B's new X25519 key; a forged chain is refused and A keeps the confirmed key; two rotations are
 * followed in one go.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openNode, startServer } from '../../src/app/index.js';
import { loadConfig } from '../../src/core/index.js';
import { generateIdentity, type KeyRotation, signRotation, toB64u } from '../../src/crypto/index.js';
import { cli, type Network, network, peer, type TestNode } from './harness.js';

/** Restarts a node on its port with the keys now on disk (a rotation takes effect on restart). */
async function restart(n: TestNode): Promise<void> {
  const port = Number(new URL(n.url).port);
  await n.server.close();
  await n.node.close();
  n.node = await openNode(loadConfig({ dataDir: n.data, logLevel: 'silent' }, {}));
  n.server = await startServer(n.node, { host: '127.0.0.1', port });
  n.fingerprint = n.node.fingerprint;
}

const ping = async (from: TestNode, to: string) => {
  const [d] = await from.node.peer.messenger.send({
    to: [to],
    type: 'peer.ping',
    agreement: null,
    payload: {},
  });
  return d!;
};

const storedKey = async (at: TestNode, node: string) => (await at.node.peer.peers.get(node))?.signingKey;

describe('key rotation between two nodes (sqlite)', () => {
  let net: Network;
  let a: TestNode;

  before(async () => {
    net = network();
    a = await net.add('cert-a');
  });
  after(() => net.close());

  const pair = async (name: string) => {
    const x = await net.add(name);
    await peer(a, x);
    await peer(x, a);
    assert.equal((await ping(a, name)).ok, true, 'A -> X before rotation');
    assert.equal((await ping(x, 'cert-a')).ok, true, 'X -> A before rotation');
    return x;
  };

  test('B rotates; A follows the chain, then accepts B new signatures and seals to B new key', async () => {
    const b = await pair('cert-b');
    const oldFp = b.fingerprint;
    const rotated = await cli(b, 'key', 'rotate');
    assert.equal(rotated.code, 0, rotated.err);
    const newFp = rotated.lines.at(-1)!;
    assert.notEqual(newFp, oldFp);
    assert.ok(existsSync(path.join(b.data, 'keys', 'previous-1', 'signing.json')), 'old keys kept');
    await restart(b);
    assert.equal(b.fingerprint, newFp);

    // Before A follows, A still seals to B's old key, which B no longer holds. (B -> A is left for
    // the automatic follow test: it would make A follow by itself.)
    assert.equal((await ping(a, 'cert-b')).ok, false, 'sealed to the old key');

    // The chain served has only signed statements, no private keys.
    const served = (await (await fetch(`${b.url}/peer/v1/rotations`)).json()) as {
      node: string;
      rotations: KeyRotation[];
    };
    assert.equal(served.node, 'cert-b');
    assert.equal(served.rotations.length, 1);
    assert.doesNotMatch(JSON.stringify(served), /private|encrypted/);

    const followed = await cli(a, 'key', 'follow', 'cert-b');
    assert.equal(followed.code, 0, followed.err);
    assert.match(followed.out, new RegExp(`cert-b: followed 1 rotation\\(s\\), new fingerprint ${newFp}`));
    assert.equal((await a.node.peer.peers.get('cert-b'))?.fingerprint, newFp);
    assert.equal(await storedKey(a, 'cert-b'), toB64u(b.node.identity.signing.publicKey));

    const b2a = await ping(b, 'cert-a');
    assert.equal(b2a.ok, true, `B -> A after follow: ${b2a.code} ${b2a.message}`);
    const a2b = await ping(a, 'cert-b');
    assert.equal(a2b.ok, true, `A -> B after follow: ${a2b.code} ${a2b.message}`);

    const steps = await a.node.database.db.selectFrom('peer_key_steps').selectAll().execute();
    assert.equal(steps.length, 1);
    assert.equal(steps[0]!.steps, 1);

    const again = await cli(a, 'key', 'follow', 'cert-b');
    assert.match(again.out, /cert-b: no new keys/);
  });

  test('a forged chain (new key not signed by the confirmed one) is refused; A keeps the old key', async () => {
    const c = await pair('cert-c');
    const confirmed = await storedKey(a, 'cert-c');
    // An attacker's hand-over from C's confirmed key: signed by the attacker's key, not C's.
    const attacker = generateIdentity({ nodeId: 'cert-c' });
    const next = generateIdentity({ nodeId: 'cert-c' });
    const forged = { ...signRotation(attacker, next), previous_key: confirmed! };
    await c.node.database.db
      .insertInto('key_rotations')
      .values({
        seq: 1,
        previous_key: forged.previous_key,
        new_key: forged.new_key,
        statement: JSON.stringify(forged),
        created: forged.created,
      })
      .execute();
    const r = await cli(a, 'key', 'follow', 'cert-c');
    assert.equal(r.code, 1);
    assert.match(r.err, /refused, old keys kept: .*\[rotation\.bad_signature\]/);
    assert.equal(await storedKey(a, 'cert-c'), confirmed);

    // A chain that does not start from the confirmed key at all (the attacker's own hand-over).
    const unrelated = signRotation(attacker, next);
    await c.node.database.db
      .updateTable('key_rotations')
      .set({ previous_key: unrelated.previous_key, statement: JSON.stringify(unrelated) })
      .where('seq', '=', 1)
      .execute();
    const r2 = await cli(a, 'key', 'follow', 'cert-c');
    assert.match(r2.err, /\[rotation\.broken_chain\]/);
    assert.equal(await storedKey(a, 'cert-c'), confirmed);
    assert.equal((await ping(a, 'cert-c')).ok, true, 'C is still reached with its confirmed keys');
    const steps = await a.node.database.db
      .selectFrom('peer_key_steps')
      .selectAll()
      .where('peer', '=', 'cert-c')
      .execute();
    assert.equal(steps.length, 0);
  });

  test('two rotations are followed in one go', async () => {
    const d = await pair('cert-d');
    assert.equal((await cli(d, 'key', 'rotate')).code, 0);
    const second = await cli(d, 'key', 'rotate');
    assert.equal(second.code, 0, second.err);
    assert.ok(existsSync(path.join(d.data, 'keys', 'previous-2', 'signing.json')));
    await restart(d);
    const r = await cli(a, 'key', 'follow', 'cert-d');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /cert-d: followed 2 rotation\(s\)/);
    assert.equal((await ping(d, 'cert-a')).ok, true, 'D -> A with the second new key');
    assert.equal((await ping(a, 'cert-d')).ok, true, 'A -> D sealed to the second new key');
    const chain = JSON.parse((await cli(d, 'key', 'chain')).out) as KeyRotation[];
    assert.equal(chain.length, 2);
    assert.equal(chain[1]!.previous_key, chain[0]!.new_key);
  });

  test('an envelope from an unconfirmed key makes A follow the sender chain; the retry is accepted', async () => {
    const e = await pair('cert-e');
    const before = await storedKey(a, 'cert-e');
    assert.equal((await cli(e, 'key', 'rotate')).code, 0);
    await restart(e);
    const first = await ping(e, 'cert-a');
    assert.equal(first.code, 'envelope.unknown_sender');
    const deadline = Date.now() + 5_000;
    while ((await storedKey(a, 'cert-e')) === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(await storedKey(a, 'cert-e'), toB64u(e.node.identity.signing.publicKey));
    const retry = await ping(e, 'cert-a');
    assert.equal(retry.ok, true, `retry: ${retry.code} ${retry.message}`);
    assert.equal((await ping(a, 'cert-e')).ok, true, 'A -> E sealed to the new key');
  });
});
