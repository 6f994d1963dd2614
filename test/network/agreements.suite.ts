/**
 * Three nodes on 127.0.0.1, driven through the parley CLI as their operators would: peering by
 * fingerprint, a bilateral agreement, points of contact seen only by agreement partners, a
 * multilateral agreement, an accession that needs every party's signature, suspension and termination.
 * Run by agreements.sqlite.test.ts and agreements.postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cli, type Network, network, type TestNode } from './harness.js';

export function agreementsSuite(backend: 'sqlite' | 'postgres'): void {
  describe(`three nodes over HTTP (${backend})`, () => {
    let net: Network;
    let a: TestNode;
    let b: TestNode;
    let c: TestNode;
    let ab = '';
    let abc = '';

    before(async () => {
      net = network({ backend });
      a = await net.add('cert-a', 'CERT of Arcadia');
      b = await net.add('cert-b', 'CERT of Borduria');
      c = await net.add('cert-c', 'CERT of Carpathia');
    });
    after(() => net.close());

    const ok = async (n: TestNode, ...args: string[]) => {
      const r = await cli(n, ...args);
      assert.equal(r.code, 0, `${n.name}: parley ${args.join(' ')}\n${r.err}`);
      return r;
    };
    const state = async (n: TestNode, id: string) =>
      /state\s+(.+)/.exec((await ok(n, 'agreement', 'show', id)).out)?.[1];
    const lastLine = (out: string) => out.trim().split('\n').at(-1)!;

    test('peer add checks the fingerprint; a wrong one stores nothing', async () => {
      const wrong = await cli(
        a,
        'peer',
        'add',
        b.url,
        '--fingerprint',
        '00000 00000 00000 00000 00000 00000',
      );
      assert.equal(wrong.code, 1);
      assert.match(wrong.err, /has fingerprint .* not 00000.*\[peer\.fingerprint_mismatch\]/);
      assert.equal((await ok(a, 'peer', 'list')).out, '');
      for (const [x, y] of [
        [a, b],
        [b, a],
        [a, c],
        [c, a],
        [b, c],
        [c, b],
      ] as const) {
        const r = await ok(x, 'peer', 'add', y.url, '--fingerprint', y.fingerprint);
        assert.match(r.out, new RegExp(`added peer ${y.name} \\(`));
      }
      const list = (await ok(a, 'peer', 'list')).out.split('\n');
      assert.deepEqual(
        list.map((l) => l.split('  ')[0]),
        ['cert-b', 'cert-c'],
      );
      const unreachable = await cli(a, 'peer', 'add', 'http://127.0.0.1:1', '--fingerprint', b.fingerprint);
      assert.match(unreachable.err, /\[peer\.unreachable\]/);
    });

    test('A and B sign a bilateral agreement', async () => {
      const p = await ok(a, 'agreement', 'propose', '--with', b.url, '--title', 'Arcadia-Borduria CBM');
      ab = lastLine(p.out);
      assert.match(ab, /^agr-[0-9a-f]{64}$/);
      assert.match(p.err, /proposal: delivered to cert-b/);
      assert.equal(await state(a, ab), 'proposed');
      assert.equal(await state(b, ab), 'proposed');
      const s = await ok(b, 'agreement', 'sign', ab);
      assert.match(s.out, /state in force/);
      assert.equal(await state(a, ab), 'in force');
      assert.equal(await state(b, ab), 'in force');
      const shown = (await ok(a, 'agreement', 'show', ab)).out;
      assert.match(shown, /deadline\s+\* critical: acknowledge 1 h, respond 24 h/);
      assert.match(shown, /sharing\s+default TLP:AMBER/);
      const again = await cli(c, 'agreement', 'show', ab);
      assert.match(again.err, /no agreement .* on this node \[pact\.unknown_agreement\]/);
    });

    test("B sees A's points of contact; C, outside their agreement, does not", async () => {
      const r = await ok(
        a,
        'poc',
        'add',
        '--id',
        'duty-desk',
        '--role',
        'technical',
        '--name',
        'CERT-A duty desk',
        '--channel',
        'email:duty@cert-a.example',
        '--channel',
        'phone:+15550100',
        '--language',
        'en',
        '--language',
        'fr',
        '--timezone',
        'Europe/Paris',
      );
      assert.match(r.err, /contacts under agr-.*: delivered to cert-b/);
      assert.doesNotMatch(r.err, /cert-c/);
      const onB = (await ok(b, 'poc', 'list', '--owner', 'cert-a')).out;
      assert.match(
        onB,
        /^cert-a\/duty-desk {2}technical {2}desk {2}CERT-A duty desk {2}email:duty@cert-a\.example phone:\+15550100 {2}en,fr {2}Europe\/Paris {2}24\/7/,
      );
      assert.equal((await ok(c, 'poc', 'list')).out, '');
      const bad = await cli(a, 'poc', 'add', '--role', 'diplomat', '--name', 'x', '--channel', 'email:x@y');
      assert.match(
        bad.err,
        /role must be one of policy, technical, law-enforcement \[directory\.invalid_poc\]/,
      );
      const confirm = await ok(a, 'poc', 'confirm', 'duty-desk');
      assert.match(confirm.out, /confirmed duty-desk/);
      // Fresh entries, and far from the 60-day mark: nothing to flag.
      assert.equal((await ok(b, 'poc', 'check')).out, 'no flags');
      assert.match((await ok(b, 'poc', 'publish')).out, /nothing to publish/);
    });

    test('A, B and C sign a multilateral agreement: in force only when the third signs', async () => {
      abc = lastLine(
        (await ok(a, 'agreement', 'propose', '--with', b.url, '--with', 'cert-c', '--title', 'Tri-party'))
          .out,
      );
      await ok(b, 'agreement', 'sign', abc);
      for (const n of [a, b, c]) assert.equal(await state(n, abc), 'proposed', n.name);
      await ok(c, 'agreement', 'sign', abc);
      for (const n of [a, b, c]) assert.equal(await state(n, abc), 'in force', n.name);
      assert.match((await ok(c, 'agreement', 'list')).out, new RegExp(`${abc}  in force  v1  Tri-party`));
    });

    test('C joins the A-B agreement only once both A and B have signed the accession', async () => {
      const ping = async (from: TestNode, to: string, agreement: string) => {
        const [d] = await from.node.peer.messenger.send({
          to: [to],
          type: 'peer.ping',
          agreement,
          payload: {},
        });
        return d!;
      };
      assert.equal((await ping(c, 'cert-a', ab)).code, 'envelope.sender_not_in_agreement');
      const j = await ok(a, 'agreement', 'join', ab, '--with', c.url);
      assert.equal(lastLine(j.out), ab);
      assert.match(j.err, /accession: delivered to cert-b[\s\S]*accession: delivered to cert-c/);
      assert.equal(await state(c, ab), 'proposed');
      await ok(c, 'agreement', 'sign', ab);
      // A signed when it proposed, C has signed, B has not: still version 1, without C.
      assert.equal(await state(c, ab), 'proposed');
      assert.match(
        (await ok(a, 'agreement', 'show', ab)).out,
        /pending\s+version 2: signed by cert-a, cert-c; waiting for cert-b/,
      );
      assert.equal((await ping(c, 'cert-a', ab)).code, 'envelope.sender_not_in_agreement');
      await ok(b, 'agreement', 'sign', ab);
      for (const n of [a, b, c]) {
        const out = (await ok(n, 'agreement', 'show', ab)).out;
        assert.match(out, /state\s+in force/);
        assert.match(out, /in force\s+version 2/);
        assert.match(out, /party\s+cert-c \(CERT of Carpathia\)/);
      }
      assert.equal((await ping(c, 'cert-a', ab)).ok, true);
    });

    test('a suspended agreement refuses new envelopes and keeps its records; resume; terminate', async () => {
      const s = await ok(b, 'agreement', 'suspend', ab);
      assert.match(s.err, /suspend: delivered to cert-a[\s\S]*suspend: delivered to cert-c/);
      for (const n of [a, b, c]) assert.equal(await state(n, ab), 'suspended', n.name);
      const [d] = await a.node.peer.messenger.send({
        to: ['cert-b'],
        type: 'peer.ping',
        agreement: ab,
        payload: {},
      });
      assert.equal(d?.code, 'envelope.agreement_not_in_force');
      const shown = (await ok(a, 'agreement', 'show', ab)).out;
      assert.match(shown, /event\s+\S+ suspended v2 by cert-b/);
      assert.match(shown, /event\s+\S+ proposed v1 by cert-a/);
      assert.equal(
        (await ok(b, 'poc', 'list', '--owner', 'cert-a')).out.split('\n').length,
        1,
        'directory kept',
      );
      await ok(a, 'agreement', 'resume', ab);
      assert.equal(await state(b, ab), 'in force');
      await ok(c, 'agreement', 'terminate', abc);
      for (const n of [a, b, c]) assert.equal(await state(n, abc), 'terminated', n.name);
      const again = await cli(a, 'agreement', 'resume', abc);
      assert.match(again.err, /is terminated; it cannot become in force \[pact\.bad_transition\]/);
      const [t] = await b.node.peer.messenger.send({
        to: ['cert-a'],
        type: 'peer.ping',
        agreement: abc,
        payload: {},
      });
      assert.equal(t?.code, 'envelope.agreement_not_in_force');
    });

    test('clear errors for bad ids and non-peers', async () => {
      assert.match(
        (await cli(a, 'agreement', 'show', 'nope')).err,
        /"nope" is not an agreement id \(agr- and 64 hex digits\) \[pact\.bad_id\]/,
      );
      assert.match(
        (await cli(a, 'agreement', 'propose', '--with', 'http://127.0.0.1:9')).err,
        /not a confirmed peer; first run `parley peer add/,
      );
      assert.match((await cli(a, 'peer', 'remove', 'cert-z')).err, /no peer cert-z \[peer\.unknown\]/);
    });
  });
}
