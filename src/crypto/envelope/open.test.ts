/**
 * openEnvelope: each rejection code on its own (the published fixtures cover one case each; these
 * add the order of checks, multi-recipient envelopes, and that a refusal stores nothing).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  AGREEMENT,
  alice,
  baseContext,
  bob,
  carol,
  mallory,
  NOW,
  optionsFor,
  PAYLOAD_TEXT,
  resign,
  seededRandom,
  send,
} from '../../../test/fixtures/envelopes/build.js';
import { ManualClock } from '../../core/clock.js';
import { isParleyError } from '../../core/index.js';
import { fromB64u, toB64u, utf8 } from '../bytes.js';
import { canonicalBytes } from '../canonical-json.js';
import { KeyObjectCache } from '../keys.js';
import { createEnvelope } from './create.js';
import { openEnvelope } from './open.js';
import type { Envelope } from './types.js';

const bytesOf = (e: unknown) => canonicalBytes(e);
const rejects = async (bytes: Uint8Array, code: string, opts = optionsFor(baseContext())) => {
  await assert.rejects(openEnvelope(bytes, opts), (e) => {
    assert.ok(isParleyError(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  });
  assert.equal(opts.seenIds.size, 0, `${code}: nothing stored`);
};

describe('openEnvelope accepts', () => {
  test('a valid envelope, returning envelope, payload and the SHA-256 of its bytes', async () => {
    const e = send({ label: 'ok' });
    const bytes = bytesOf(e);
    const opts = optionsFor(baseContext());
    const r = await openEnvelope(bytes, opts);
    assert.equal(Buffer.from(r.payload).toString('utf8'), PAYLOAD_TEXT);
    assert.deepEqual(r.envelope, e);
    assert.equal(Buffer.from(r.hash).toString('hex'), createHash('sha256').update(bytes).digest('hex'));
    assert.equal(opts.seenIds.size, 1);
  });

  test('an envelope to several recipients opens for each of them', async () => {
    const bytes = bytesOf(send({ label: 'multi', to: [carol, bob] }));
    for (const receiver of [bob, carol]) {
      const ctx = { ...baseContext(), receiver: receiver.nodeId };
      ctx.agreements[AGREEMENT]!.members.push(carol.nodeId);
      const r = await openEnvelope(bytes, optionsFor(ctx));
      assert.equal(Buffer.from(r.payload).toString('utf8'), PAYLOAD_TEXT);
    }
  });

  test('an envelope without agreement when its type is allowed to travel without one', async () => {
    const r = await openEnvelope(
      bytesOf(send({ label: 'desc', agreement: null, type: 'node.descriptor' })),
      optionsFor(baseContext()),
    );
    assert.equal(r.envelope.agreement, null);
  });

  test('with a key cache, across calls, and still refusing a bad signature', async () => {
    const keyCache = new KeyObjectCache(2);
    const opts = { ...optionsFor(baseContext()), keyCache };
    for (const label of ['kc1', 'kc2', 'kc3']) await openEnvelope(bytesOf(send({ label })), opts);
    const ok = send({ label: 'kc4' });
    await rejects(bytesOf({ ...ok, type: 'hotline.closure' }), 'envelope.bad_signature', {
      ...optionsFor(baseContext()),
      keyCache,
    });
  });

  test('created within the allowed clock skew', async () => {
    await openEnvelope(
      bytesOf(send({ label: 'skew', at: '2026-03-01T12:04:00.000Z' })),
      optionsFor(baseContext()),
    );
  });
});

describe('openEnvelope refuses, storing nothing', () => {
  test('envelope.oversized before parsing', async () => {
    const ctx = { ...baseContext(), limits: { ...baseContext().limits, max_bytes: 100 } };
    await rejects(utf8('x'.repeat(101)), 'envelope.oversized', optionsFor(ctx));
  });

  test('envelope.oversized for too many recipients', async () => {
    const ctx = { ...baseContext(), limits: { ...baseContext().limits, max_recipients: 1 } };
    await rejects(bytesOf(send({ label: 'two', to: [bob, carol] })), 'envelope.oversized', optionsFor(ctx));
  });

  test('envelope.malformed: not UTF-8, not JSON, not an object, bad fields', async () => {
    const ok = send({ label: 'm' });
    await rejects(Uint8Array.of(0x7b, 0xff, 0x7d), 'envelope.malformed');
    await rejects(utf8('{"v":1'), 'envelope.malformed');
    await rejects(utf8('[]'), 'envelope.malformed');
    await rejects(bytesOf({ ...ok, extra: 1 }), 'envelope.malformed');
    await rejects(bytesOf({ ...ok, type: 'Hotline Message' }), 'envelope.malformed');
    await rejects(bytesOf({ ...ok, created: '2026-03-01T12:00:00Z' }), 'envelope.malformed');
    await rejects(bytesOf({ ...ok, expires: ok.created }), 'envelope.malformed');
    await rejects(bytesOf({ ...ok, recipients: [] }), 'envelope.malformed');
    await rejects(bytesOf({ ...ok, recipients: [ok.recipients[0], ok.recipients[0]] }), 'envelope.malformed');
    await rejects(bytesOf({ ...ok, payload: { ...ok.payload, alg: 'A128GCM' } }), 'envelope.malformed');
    await rejects(bytesOf({ ...ok, v: '1' }), 'envelope.malformed');
  });

  test('envelope.malformed: a base64url value that is not the canonical encoding of its bytes', async () => {
    const ok = send({ label: 'b64' });
    // The last character of an 86-character signature carries 4 data bits and 2 zero bits; setting
    // a zero bit gives the same 64 bytes under a lenient decoder, which must not make a second valid form.
    const last = ok.sig.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    await rejects(bytesOf({ ...ok, sig: ok.sig.slice(0, -1) + twin }), 'envelope.malformed');
  });

  test('envelope.not_canonical: key order, whitespace, number spelling', async () => {
    const ok = send({ label: 'nc' });
    const text = Buffer.from(bytesOf(ok)).toString('utf8');
    const vFirst = Object.fromEntries([['v', 1], ...Object.entries(ok).filter(([k]) => k !== 'v')]);
    await rejects(utf8(JSON.stringify(vFirst)), 'envelope.not_canonical');
    await rejects(utf8(`${text}\n`), 'envelope.not_canonical');
    await rejects(utf8(text.replace('"v":1', '"v":1.0')), 'envelope.not_canonical');
    await rejects(utf8(text.replace('"v":1', '"v":1,"v":1')), 'envelope.not_canonical');
  });

  test('envelope.unsupported_version', async () => {
    await rejects(bytesOf({ ...send({ label: 'v' }), v: 2 }), 'envelope.unsupported_version');
  });

  test('envelope.not_yet_valid, envelope.expired, envelope.lifetime_too_long', async () => {
    await rejects(bytesOf(send({ label: 't1', at: '2026-03-01T12:06:00.000Z' })), 'envelope.not_yet_valid');
    await rejects(bytesOf(send({ label: 't2', at: '2026-02-28T12:00:00.000Z' })), 'envelope.expired');
    await rejects(bytesOf(send({ label: 't3', ttlMs: 31 * 86_400_000 })), 'envelope.lifetime_too_long');
  });

  test('envelope.unknown_sender: unknown node, or a known node with a key it does not hold', async () => {
    await rejects(bytesOf(send({ label: 'u1', from: mallory })), 'envelope.unknown_sender');
    const impostor = { ...mallory, nodeId: alice.nodeId };
    await rejects(bytesOf(send({ label: 'u2', from: impostor })), 'envelope.unknown_sender');
  });

  test('envelope.bad_signature: a signed field changed after signing', async () => {
    const ok = send({ label: 'bs' });
    await rejects(bytesOf({ ...ok, type: 'hotline.closure' }), 'envelope.bad_signature');
    await rejects(bytesOf({ ...ok, expires: '2026-03-02T11:00:00.000Z' }), 'envelope.bad_signature');
    const other = send({ label: 'bs2' });
    await rejects(bytesOf({ ...ok, payload: other.payload }), 'envelope.bad_signature');
  });

  test('envelope.agreement_not_in_force, including a missing agreement', async () => {
    await rejects(
      bytesOf(send({ label: 'a1', agreement: 'agr-2019-007' })),
      'envelope.agreement_not_in_force',
    );
    await rejects(
      bytesOf(send({ label: 'a2', agreement: 'agr-unknown' })),
      'envelope.agreement_not_in_force',
    );
    await rejects(bytesOf(send({ label: 'a3', agreement: null })), 'envelope.agreement_not_in_force');
  });

  test('envelope.sender_not_in_agreement', async () => {
    await rejects(bytesOf(send({ label: 's1', from: carol })), 'envelope.sender_not_in_agreement');
  });

  test('envelope.wrong_recipient: another key, or our key under another node id', async () => {
    await rejects(bytesOf(send({ label: 'w1', to: [carol] })), 'envelope.wrong_recipient');
    const renamed = { ...bob, nodeId: 'cert-bobby' };
    await rejects(bytesOf(send({ label: 'w2', to: [renamed] })), 'envelope.wrong_recipient');
  });

  test('envelope.decrypt_failed: payload or wrapped key altered and re-signed; the id stays usable', async () => {
    const ok = send({ label: 'df' });
    const ct = fromB64u(ok.payload.ct)!;
    ct[3]! ^= 0x80;
    const opts = optionsFor(baseContext());
    await rejects(
      bytesOf(resign({ ...ok, payload: { ...ok.payload, ct: toB64u(ct) } })),
      'envelope.decrypt_failed',
      opts,
    );
    const wk = fromB64u(ok.recipients[0]!.wrapped_key)!;
    wk[0]! ^= 1;
    const badWrap: Envelope = resign({
      ...ok,
      recipients: [{ ...ok.recipients[0]!, wrapped_key: toB64u(wk) }],
    });
    await rejects(bytesOf(badWrap), 'envelope.decrypt_failed', opts);
    // Same id, correct content: nothing was remembered from the failures, so it opens.
    await openEnvelope(bytesOf(ok), opts);
  });

  test('envelope.replay: the second delivery of an accepted envelope', async () => {
    const bytes = bytesOf(send({ label: 'rp' }));
    const opts = optionsFor(baseContext());
    await openEnvelope(bytes, opts);
    await assert.rejects(openEnvelope(bytes, opts), (e) => isParleyError(e) && e.code === 'envelope.replay');
    assert.equal(opts.seenIds.size, 1);
  });
});

describe('order of checks (docs/PROTOCOL.md section 7)', () => {
  test('time window before sender, sender before signature, signature before agreement and recipient', async () => {
    // expired and from an unknown sender: the time window answers first.
    await rejects(
      bytesOf(send({ label: 'o1', from: mallory, at: '2026-02-20T00:00:00.000Z' })),
      'envelope.expired',
    );
    // unknown sender with a broken signature: the sender lookup answers first.
    const m = send({ label: 'o2', from: mallory });
    await rejects(bytesOf({ ...m, type: 'x.y' }), 'envelope.unknown_sender');
    // bad signature on an envelope that is also for someone else under a dead agreement.
    const w = send({ label: 'o3', to: [carol], agreement: 'agr-2019-007' });
    await rejects(bytesOf({ ...w, type: 'x.y' }), 'envelope.bad_signature');
    // agreement before recipient.
    await rejects(bytesOf(w), 'envelope.agreement_not_in_force');
  });

  test('a replayed envelope that has since expired is named expired (the guard is not consulted)', async () => {
    const bytes = bytesOf(send({ label: 'o4' }));
    const opts = optionsFor(baseContext());
    await openEnvelope(bytes, opts);
    opts.clock.set(Date.parse(NOW) + 2 * 86_400_000);
    await assert.rejects(openEnvelope(bytes, opts), (e) => isParleyError(e) && e.code === 'envelope.expired');
  });
});

describe('createEnvelope', () => {
  const base = {
    identity: alice,
    type: 'hotline.message',
    recipients: [{ node: bob.nodeId, key: bob.agreement.publicKey }],
    agreement: AGREEMENT,
    payload: utf8('hi'),
    clock: new ManualClock(Date.parse(NOW)),
  };
  const code = (c: string) => (e: unknown) => isParleyError(e) && e.code === c;

  test('refuses what a receiver would refuse, naming the field', () => {
    assert.throws(() => createEnvelope({ ...base, type: 'Bad Type' }), code('envelope.malformed'));
    assert.throws(() => createEnvelope({ ...base, recipients: [] }), code('envelope.malformed'));
    assert.throws(() => createEnvelope({ ...base, ttlMs: 0 }), code('envelope.lifetime_too_long'));
    assert.throws(
      () => createEnvelope({ ...base, payload: new Uint8Array(2048), limits: { maxBytes: 2048 } }),
      code('envelope.oversized'),
    );
    assert.throws(
      () => createEnvelope({ ...base, payload: new Uint8Array(4096), limits: { maxBytes: 2048 } }),
      code('envelope.oversized'),
    );
  });

  test('two envelopes with the same input differ (fresh id, key, nonce, ephemeral keys)', () => {
    const a = createEnvelope(base);
    const b = createEnvelope(base);
    assert.notEqual(a.envelope.id, b.envelope.id);
    assert.notEqual(a.envelope.payload.ct, b.envelope.payload.ct);
    assert.notEqual(a.envelope.recipients[0]!.enc, b.envelope.recipients[0]!.enc);
  });

  test('a seeded random source makes it deterministic (how the fixtures are rebuilt)', () => {
    const a = createEnvelope({ ...base, random: seededRandom('d') });
    const b = createEnvelope({ ...base, random: seededRandom('d') });
    assert.deepEqual(a.bytes, b.bytes);
  });
});
