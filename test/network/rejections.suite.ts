/**
 * Every way the peer endpoint refuses an envelope, over real HTTP, each with its own code, and with
 * nothing stored on the receiver (no replay id, no agreement row, no directory entry, no ledger entry).
 * Run by rejections.sqlite.test.ts and rejections.postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/core/index.js';
import {
  canonicalJson,
  createEnvelope,
  encodeJsonPayload,
  fromB64u,
  generateIdentity,
  type NodeIdentity,
} from '../../src/crypto/index.js';
import { ENVELOPE_MEDIA_TYPE, PEER_PATHS } from '../../src/http/peer/index.js';
import { counts, type Network, network, peer, type TestNode } from './harness.js';

const post = async (to: TestNode, body: Uint8Array | string) => {
  const res = await fetch(`${to.url}${PEER_PATHS.envelopes}`, {
    method: 'POST',
    headers: { 'content-type': ENVELOPE_MEDIA_TYPE },
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as { code?: string; message?: string; receipt?: unknown },
  };
};

const seal = (
  from: NodeIdentity,
  to: TestNode | NodeIdentity,
  opts: {
    type?: string;
    agreement?: string | null;
    payload?: unknown;
    clock?: ManualClock;
    ttlMs?: number;
  } = {},
) => {
  const id = 'node' in to ? to.node.identity : to;
  return createEnvelope({
    identity: from,
    type: opts.type ?? 'peer.ping',
    recipients: [{ node: id.nodeId, key: id.agreement.publicKey }],
    agreement: opts.agreement === undefined ? null : opts.agreement,
    payload: encodeJsonPayload(opts.payload ?? { ping: true }),
    clock: opts.clock,
    ttlMs: opts.ttlMs,
  });
};

export function rejectionSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`peer endpoint refusals (${backend})`, () => {
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let c: TestNode;
    let ab: string;
    let proposed: string;

    before(async () => {
      net = network({ backend });
      a = await net.add('cert-a');
      b = await net.add('cert-b');
      c = await net.add('cert-c');
      for (const [x, y] of [
        [a, b],
        [b, a],
        [a, c],
        [c, a],
        [b, c],
        [c, b],
      ] as const)
        await peer(x, y);
      const bPeer = (await a.node.peer.peers.get('cert-b'))!;
      const r = await a.node.peer.pacts.propose({
        with: [
          {
            node: 'cert-b',
            party: bPeer.party,
            signing_key: bPeer.signingKey,
            agreement_key: bPeer.agreementKey,
          },
        ],
        terms: { title: 'A-B' },
      });
      assert.ok(
        r.delivery.every((d) => d.ok),
        JSON.stringify(r.delivery),
      );
      ab = r.id;
      const s = await b.node.peer.pacts.sign(ab);
      assert.equal(s.view.state, 'in_force');
      // A second A-B agreement that B never signs: proposed, not in force.
      proposed = (
        await a.node.peer.pacts.propose({
          with: [
            {
              node: 'cert-b',
              party: bPeer.party,
              signing_key: bPeer.signingKey,
              agreement_key: bPeer.agreementKey,
            },
          ],
        })
      ).id;
    });
    after(() => net.close());

    /** Posts `body` to B and checks the refusal's status and code, and that B stored nothing. */
    const refused = async (body: Uint8Array | string, status: number, code: string) => {
      const before = await counts(b);
      const r = await post(b, body);
      assert.equal(r.body.code, code, r.body.message);
      assert.equal(r.status, status);
      assert.deepEqual(await counts(b), before, `${code}: nothing is stored`);
      return r;
    };

    test('an accepted envelope gets a signed receipt, and its id is remembered', async () => {
      const before = await counts(b);
      const r = await post(b, seal(a.node.identity, b, { agreement: ab }).bytes);
      assert.equal(r.status, 200, r.body.message);
      assert.equal((r.body.receipt as { recipient: string }).recipient, 'cert-b');
      assert.equal((await counts(b)).peer_seen_envelopes, (before.peer_seen_envelopes ?? 0) + 1);
    });

    test('bad signature: envelope.bad_signature', async () => {
      const env = seal(a.node.identity, b, { agreement: ab }).envelope;
      const sig = `${env.sig[0] === 'A' ? 'B' : 'A'}${env.sig.slice(1)}`;
      await refused(canonicalJson({ ...env, sig }), 401, 'envelope.bad_signature');
    });

    test('wrong recipient: envelope.wrong_recipient', async () => {
      await refused(seal(a.node.identity, c, { agreement: ab }).bytes, 403, 'envelope.wrong_recipient');
    });

    test('unknown peer: envelope.unknown_sender (a stranger, and a peer that was removed)', async () => {
      const mallory = generateIdentity({ nodeId: 'mallory' });
      await refused(seal(mallory, b).bytes, 403, 'envelope.unknown_sender');
      // A stranger claiming a known node id with its own key.
      const impostor = generateIdentity({ nodeId: 'cert-a' });
      await refused(seal(impostor, b, { agreement: ab }).bytes, 403, 'envelope.unknown_sender');
      const cOnB = (await b.node.peer.peers.get('cert-c'))!;
      await b.node.peer.peers.remove('cert-c');
      try {
        await refused(seal(c.node.identity, b).bytes, 403, 'envelope.unknown_sender');
      } finally {
        await peer(b, c);
        assert.equal((await b.node.peer.peers.get('cert-c'))?.signingKey, cOnB.signingKey);
      }
    });

    test('replay: envelope.replay, and the first delivery is the only one stored', async () => {
      const env = seal(a.node.identity, b, { agreement: ab });
      assert.equal((await post(b, env.bytes)).status, 200);
      await refused(env.bytes, 409, 'envelope.replay');
    });

    test('expired: envelope.expired', async () => {
      const past = new ManualClock(Date.now() - 3 * 86_400_000);
      await refused(
        seal(a.node.identity, b, { agreement: ab, clock: past, ttlMs: 86_400_000 }).bytes,
        400,
        'envelope.expired',
      );
    });

    test('oversized: envelope.oversized (over the envelope limit, and over the body limit)', async () => {
      await refused(`{"v":1,"pad":"${'x'.repeat(1024 * 1024)}"}`, 413, 'envelope.oversized');
      await refused('x'.repeat(2 * 1024 * 1024 + 1), 413, 'envelope.oversized');
    });

    test('non-canonical form: envelope.not_canonical', async () => {
      const env = seal(a.node.identity, b, { agreement: ab }).envelope;
      await refused(JSON.stringify(env, null, 1), 400, 'envelope.not_canonical');
      const { v, ...rest } = env;
      await refused(JSON.stringify({ ...rest, v }), 400, 'envelope.not_canonical');
    });

    test('a key not in the agreement: envelope.sender_not_in_agreement', async () => {
      await refused(
        seal(c.node.identity, b, { agreement: ab }).bytes,
        403,
        'envelope.sender_not_in_agreement',
      );
    });

    test('an agreement not in force: envelope.agreement_not_in_force (proposed, unknown, none)', async () => {
      await refused(
        seal(a.node.identity, b, { agreement: proposed }).bytes,
        403,
        'envelope.agreement_not_in_force',
      );
      await refused(
        seal(a.node.identity, b, { agreement: `agr-${'0'.repeat(64)}` }).bytes,
        403,
        'envelope.agreement_not_in_force',
      );
      // directory.update may not travel without an agreement.
      await refused(
        seal(a.node.identity, b, { type: 'directory.update', payload: { owner: 'cert-a', entries: [] } })
          .bytes,
        403,
        'envelope.agreement_not_in_force',
      );
    });

    test('refusals above the envelope layer roll back too: handler errors and unknown types', async () => {
      await refused(
        seal(a.node.identity, b, { type: 'hotline.unknown', agreement: ab }).bytes,
        400,
        'peer.unsupported_type',
      );
      const v = (await a.node.peer.pacts.show(ab)).latest;
      const forged = { node: 'cert-a', key: v.doc.parties[0]!.signing_key, sig: 'A'.repeat(86) };
      await refused(
        seal(a.node.identity, b, {
          type: 'pact.signature',
          payload: { agreement: ab, hash: v.hash, signature: forged },
        }).bytes,
        400,
        'pact.bad_signature',
      );
      await refused(
        seal(c.node.identity, b, {
          type: 'pact.state',
          payload: { agreement: ab, state: 'suspended', at: 'x' },
        }).bytes,
        403,
        'pact.not_a_party',
      );
      assert.equal((await b.node.peer.pacts.show(ab)).state, 'in_force');
      assert.ok(fromB64u(forged.key, 32));
    });

    test('concurrent deliveries of one envelope: one receipt, one envelope.replay', async () => {
      const env = seal(a.node.identity, b, { agreement: ab });
      const before = await counts(b);
      const rs = await Promise.all([post(b, env.bytes), post(b, env.bytes), post(b, env.bytes)]);
      assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409, 409]);
      assert.equal((await counts(b)).peer_seen_envelopes, (before.peer_seen_envelopes ?? 0) + 1);
    });

    test('two signatures arriving at once still bring a multilateral agreement into force', async () => {
      const party = async (n: TestNode) => {
        const p = (await a.node.peer.peers.get(n.name))!;
        return { node: p.node, party: p.party, signing_key: p.signingKey, agreement_key: p.agreementKey };
      };
      const { id } = await a.node.peer.pacts.propose({ with: [await party(b), await party(c)] });
      await Promise.all([b.node.peer.pacts.sign(id), c.node.peer.pacts.sign(id)]);
      for (const n of [a, b, c]) assert.equal((await n.node.peer.pacts.show(id)).state, 'in_force', n.name);
    });
  });
}
