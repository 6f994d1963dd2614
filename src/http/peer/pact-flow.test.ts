/**
 * Agreements and the directory across nodes in one process (real envelopes, real inboxes, one
 * ManualClock): entry into force on a date, accession rules, terminated is final, stale contacts and
 * Article 5's 60-day exchange of competent authorities.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, test } from 'node:test';
import { isoMillis } from '../../core/index.js';
import { loopback } from './test-loopback.js';

const DAY = 86_400_000;
const net = await loopback(['cert-a', 'cert-b', 'cert-c']);
after(() => net.close());
const A = net.node('cert-a').services;
const B = net.node('cert-b').services;
const C = net.node('cert-c').services;
const ping = async (from: typeof A, to: string, agreement: string) =>
  (await from.messenger.send({ to: [to], type: 'peer.ping', agreement, payload: {} }))[0]!;

test('an agreement with a date of entry into force carries no traffic before that date', async () => {
  const start = isoMillis(net.clock.now() + 10 * DAY);
  const { id, delivery } = await A.pacts.propose({
    with: [net.party('cert-b')],
    terms: { entry_into_force: start },
  });
  assert.ok(delivery[0]?.ok);
  const v = (await B.pacts.sign(id)).view;
  assert.equal(v.state, 'in_force');
  assert.equal(v.effective, false);
  assert.equal(v.inForceAt, start);
  assert.equal((await ping(A, 'cert-b', id)).code, 'envelope.agreement_not_in_force');
  net.clock.advance(10 * DAY);
  assert.equal((await ping(A, 'cert-b', id)).ok, true);
  assert.equal((await A.pacts.show(id)).effective, true);
});

test('accession: only to an agreement in force, one pending version at a time', async () => {
  const { id } = await A.pacts.propose({ with: [net.party('cert-b')] });
  await assert.rejects(A.pacts.join(id, [net.party('cert-c')]), { code: 'pact.not_in_force' });
  await B.pacts.sign(id);
  await assert.rejects(A.pacts.join(id, [net.party('cert-b')]), { code: 'pact.no_parties' });
  const j = await A.pacts.join(id, [net.party('cert-c')]);
  assert.equal(j.version, 2);
  assert.deepEqual(
    j.delivery.map((d) => [d.node, d.ok]),
    [
      ['cert-b', true],
      ['cert-c', true],
    ],
  );
  await assert.rejects(B.pacts.join(id, [net.party('cert-c')]), { code: 'pact.pending_version' });
  await C.pacts.sign(id);
  assert.equal((await C.pacts.show(id)).state, 'proposed');
  await B.pacts.sign(id);
  for (const s of [A, B, C]) assert.equal((await s.pacts.show(id)).versionInForce, 2);
  // Signing again is harmless: it re-sends the signature, which the others already have.
  const again = await C.pacts.sign(id);
  assert.ok(again.delivery.every((d) => d.ok));
  assert.equal((await A.pacts.show(id)).events.filter((e) => e.event === 'signed').length, 5);
});

test('terminated is final: no signature, no resumption, no traffic; the record stays', async () => {
  const { id } = await A.pacts.propose({ with: [net.party('cert-b')] });
  await B.pacts.sign(id);
  await B.pacts.setState(id, 'terminated');
  assert.equal((await A.pacts.show(id)).state, 'terminated');
  await assert.rejects(A.pacts.sign(id), { code: 'pact.terminated' });
  await assert.rejects(A.pacts.setState(id, 'in_force'), { code: 'pact.bad_transition' });
  assert.equal((await ping(A, 'cert-b', id)).code, 'envelope.agreement_not_in_force');
  const v = await A.pacts.show(id);
  assert.deepEqual(
    v.events.map((e) => e.event),
    ['proposed', 'signed', 'signed', 'in_force', 'terminated'],
  );
});

test('directory: stale entries and competent authorities not exchanged within 60 days', async () => {
  const flow = await loopback(['x', 'y', 'z']);
  try {
    const X = flow.node('x').services;
    const Y = flow.node('y').services;
    const { id } = await X.pacts.propose({ with: [flow.party('y')], terms: { poc_confirm_days: 30 } });
    await Y.pacts.sign(id);
    assert.deepEqual(await X.directory.check(), []);
    await X.directory.add({
      id: 'desk',
      role: 'technical',
      kind: 'desk',
      name: 'X duty desk',
      channels: ['email:duty@x.example'],
      languages: ['en'],
      timezone: 'UTC',
      hours: '24/7',
    });
    const pub = await X.directory.publish();
    assert.deepEqual(
      pub.map((p) => [p.agreement, p.delivery.map((d) => d.node)]),
      [[id, ['y']]],
    );
    flow.clock.advance(31 * DAY);
    const onY = await Y.directory.list();
    assert.deepEqual(
      onY.map((p) => [p.owner, p.id, p.stale]),
      [['x', 'desk', true]],
    );
    flow.clock.advance(30 * DAY);
    const flags = await Y.directory.check();
    assert.deepEqual(flags.map((f) => [f.kind, f.node]).sort(), [
      ['authorities_not_exchanged', 'y'],
      ['stale', 'x'],
    ]);
    await X.directory.confirm('desk');
    await X.directory.publish();
    assert.deepEqual(
      (await Y.directory.check()).map((f) => f.kind),
      ['authorities_not_exchanged'],
      'fresh again; y never published its own',
    );
    await assert.rejects(X.directory.confirm('nope'), { code: 'directory.unknown_poc' });
    assert.deepEqual(await flow.node('z').services.directory.list(), []);
  } finally {
    await flow.close();
  }
});

test('a proposal listing a party under keys the receiver did not confirm is refused', async () => {
  const fakeB = { ...net.party('cert-b'), signing_key: net.party('cert-a').signing_key };
  const r = await A.pacts.propose({ with: [fakeB, net.party('cert-c')] });
  assert.deepEqual(
    r.delivery.map((d) => [d.node, d.code]),
    [
      ['cert-b', 'pact.not_a_party'],
      ['cert-c', 'pact.key_mismatch'],
    ],
  );
  await assert.rejects(C.pacts.show(r.id), { code: 'pact.unknown_agreement' });
});

test('every stored version is its canonical text, named by its SHA-256', async () => {
  const rows = await net
    .node('cert-b')
    .database.db.selectFrom('pact_versions')
    .select(['hash', 'doc'])
    .execute();
  assert.ok(rows.length >= 4);
  for (const r of rows) assert.equal(createHash('sha256').update(r.doc).digest('hex'), r.hash);
});
