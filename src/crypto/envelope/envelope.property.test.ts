/**
 * Property tests: sign+seal then verify+open round-trips for random payloads, types and recipient
 * sets; and no single-byte change anywhere in a serialised envelope is accepted (random changes,
 * plus every byte position of one envelope).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  AGREEMENT,
  alice,
  baseContext,
  bob,
  carol,
  NOW,
  optionsFor,
  send,
} from '../../../test/fixtures/envelopes/build.js';
import { ManualClock } from '../../core/clock.js';
import { isParleyError } from '../../core/index.js';
import { canonicalBytes } from '../canonical-json.js';
import { createEnvelope } from './create.js';
import { openEnvelope } from './open.js';

const ctxWithCarol = () => {
  const ctx = baseContext();
  ctx.agreements[AGREEMENT]!.members.push(carol.nodeId);
  return ctx;
};

test('create then open round-trips for random payloads, types and recipient sets', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 8192 }),
      fc.stringMatching(/^[a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,8}){0,3}$/),
      fc.subarray([bob, carol], { minLength: 1 }),
      fc.integer({ min: 1, max: 30 * 86_400_000 }),
      async (payload, type, to, ttlMs) => {
        const sealed = createEnvelope({
          identity: alice,
          type,
          recipients: to.map((r) => ({ node: r.nodeId, key: r.agreement.publicKey })),
          agreement: AGREEMENT,
          payload,
          ttlMs,
          clock: new ManualClock(Date.parse(NOW)),
        });
        for (const r of to) {
          const opened = await openEnvelope(
            sealed.bytes,
            optionsFor({ ...ctxWithCarol(), receiver: r.nodeId }),
          );
          assert.deepEqual(opened.payload, payload);
          assert.deepEqual(opened.hash, sealed.hash);
          assert.equal(opened.envelope.type, type);
        }
      },
    ),
    { numRuns: 60 },
  );
});

const refused = async (bytes: Uint8Array) => {
  const opts = optionsFor(baseContext());
  try {
    await openEnvelope(bytes, opts);
  } catch (e) {
    assert.ok(isParleyError(e) && e.code.startsWith('envelope.'), String(e));
    assert.equal(opts.seenIds.size, 0);
    return true;
  }
  return false;
};

test('any random single-byte change of a serialised envelope is refused', async () => {
  const bytes = canonicalBytes(send({ label: 'prop' }));
  await openEnvelope(bytes, optionsFor(baseContext()));
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: bytes.length - 1 }),
      fc.integer({ min: 1, max: 255 }),
      async (i, delta) => {
        const changed = Uint8Array.from(bytes);
        changed[i] = (changed[i]! + delta) & 0xff;
        assert.ok(await refused(changed), `byte ${i} + ${delta} was accepted`);
      },
    ),
    { numRuns: 500 },
  );
});

test('changing any one byte position of an envelope (to its neighbour value) is refused', async () => {
  const bytes = canonicalBytes(send({ label: 'sweep' }));
  for (let i = 0; i < bytes.length; i++) {
    for (const v of [bytes[i]! ^ 0x01, bytes[i]! ^ 0x20]) {
      const changed = Uint8Array.from(bytes);
      changed[i] = v;
      assert.ok(await refused(changed), `byte ${i} set to ${v} was accepted`);
    }
  }
});

test('the signed parts cut from the wire text equal the parts serialised afresh', async () => {
  const { envelopeSigningInput, payloadAad, signedPartsOf } = await import('./seal.js');
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 256 }),
      fc.subarray([bob, carol], { minLength: 1 }),
      (payload, to) => {
        const { envelope, bytes } = createEnvelope({
          identity: alice,
          type: 'hotline.message',
          recipients: to.map((r) => ({ node: r.nodeId, key: r.agreement.publicKey })),
          agreement: AGREEMENT,
          payload,
        });
        const parts = signedPartsOf(Buffer.from(bytes).toString('utf8'), envelope);
        assert.equal(
          Buffer.from(parts.signingInput).toString('hex'),
          Buffer.from(envelopeSigningInput(envelope)).toString('hex'),
        );
        assert.equal(
          Buffer.from(parts.payloadAad).toString('hex'),
          Buffer.from(payloadAad(envelope)).toString('hex'),
        );
      },
    ),
    { numRuns: 50 },
  );
});

test('arbitrary JSON, and envelopes with arbitrary members replaced, are refused with an envelope code', async () => {
  const ok = send({ label: 'fuzz' });
  const keys = Object.keys(ok);
  const inputs = fc.oneof(
    fc.jsonValue(),
    fc.record({ k: fc.constantFrom(...keys), v: fc.jsonValue() }).map(({ k, v }) => ({ ...ok, [k]: v })),
    fc
      .record({ k: fc.constantFrom('node', 'key', 'enc', 'wrapped_key'), v: fc.jsonValue() })
      .map(({ k, v }) => ({ ...ok, recipients: [{ ...ok.recipients[0], [k]: v }] })),
  );
  await fc.assert(
    fc.asyncProperty(inputs, async (value) => {
      let bytes: Uint8Array;
      try {
        bytes = canonicalBytes(value);
      } catch {
        return; // not representable in RFC 8785 (e.g. a lone surrogate): nothing to send
      }
      if (Buffer.from(bytes).equals(Buffer.from(canonicalBytes(ok)))) return;
      assert.ok(await refused(bytes));
    }),
    { numRuns: 400 },
  );
});
