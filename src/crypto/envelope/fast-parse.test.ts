/** The fast parse path must agree with the general one, and hand everything else to it. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../core/clock.js';
import { utf8 } from '../bytes.js';
import { parseCanonical } from '../canonical-json.js';
import { generateIdentity } from '../identity.js';
import { createEnvelope } from './create.js';
import { parseEnvelopeFast } from './fast-parse.js';
import { checkEnvelope } from './schema.js';
import { envelopeSigningInput, payloadAad, signedPartsOf } from './seal.js';
import { DEFAULT_LIMITS } from './types.js';

const clock = new ManualClock(Date.parse('2026-03-01T12:00:00.000Z'));
const alice = generateIdentity({ nodeId: 'cert-alice', clock });
const bob = generateIdentity({ nodeId: 'cert-bob', clock });
const carol = generateIdentity({ nodeId: 'cert-carol', clock });

const make = (agreement: string | null, n: number) =>
  createEnvelope({
    identity: alice,
    type: 'hotline.message',
    recipients: [bob, carol].slice(0, n).map((p) => ({ node: p.nodeId, key: p.agreement.publicKey })),
    agreement,
    payload: randomBytes(100),
    clock,
  });

test('canonical envelopes take the fast path, with the same signed parts as serialising again', () => {
  for (const sealed of [make('agr-1', 1), make(null, 2)]) {
    const f = parseEnvelopeFast(sealed.bytes, DEFAULT_LIMITS);
    assert.ok(f);
    assert.deepEqual(f.envelope, sealed.envelope);
    assert.deepEqual(new Uint8Array(f.signingInput), new Uint8Array(envelopeSigningInput(sealed.envelope)));
    assert.deepEqual(new Uint8Array(f.payloadAad), new Uint8Array(payloadAad(sealed.envelope)));
  }
});

test('anything not byte-for-byte canonical, or not ASCII, or not well formed goes to the general path', () => {
  const text = Buffer.from(make('agr-1', 1).bytes).toString('utf8');
  const variants = [
    text.replace('{"agreement"', '{ "agreement"'),
    text.replace('"v":1}', '"v":1.0}'),
    text.replace('"v":1}', '"v":1,"v":1}'),
    text.replace('{"agreement":"agr-1",', '{"agreement":"agr-0","agreement":"agr-1",'),
    text.replace(/"type":"[^"]*"/, '"type":"hotline.m\\u0065ssage"'),
    text.replace(/"type":"[^"]*"/, '"type":"hotline.mé"'),
    text.replace(/"created":"[^"]*","expires":"[^"]*"/, (m) => m.split(',').reverse().join(',')),
    text.replace('"v":1}', '"v":2}'),
    text.replace(/"id":"[^"]*"/, '"id":"AAAAAAAAAAAAAAAAAAAA\\"A"'),
    text.replace('"agreement":"agr-1"', '"agreement":nul'),
    text.replace(/"recipients":\[.*\],"sender"/, '"recipients":[],"sender"'),
    text.replace(/("recipients":\[)(\{[^}]*\})/, '$1$2,$2'),
    text.replace('"alg":"A256GCM"', '"alg":"A128GCM"'),
    `${text} `,
    text.slice(0, -1),
  ];
  for (const v of variants) {
    assert.notEqual(v, text);
    assert.equal(parseEnvelopeFast(utf8(v), DEFAULT_LIMITS), undefined, v.slice(0, 80));
  }
});

/** What the general path (parseCanonical, then checkEnvelope) makes of the bytes, if it accepts them. */
function general(bytes: Uint8Array) {
  const p = parseCanonical(bytes);
  if (!p.ok) return undefined;
  const s = checkEnvelope(p.value, DEFAULT_LIMITS);
  return s.ok ? { envelope: s.envelope, ...signedPartsOf(p.text, s.envelope) } : undefined;
}

test('under any edit of the wire text, the fast path accepts only what the general path accepts, alike', () => {
  const texts = [make('agr-1', 1), make(null, 2)].map((e) => Buffer.from(e.bytes).toString('latin1'));
  const edit = fc.record({
    t: fc.constantFrom(...texts),
    at: fc.nat(),
    cut: fc.nat({ max: 3 }),
    put: fc.string({
      unit: fc.constantFrom('"', '\\', ',', '{', '}', '[', ']', ':', ' ', 'A', '-', '1', 'null'),
    }),
  });
  fc.assert(
    fc.property(edit, ({ t, at, cut, put }) => {
      const i = at % (t.length + 1);
      const bytes = utf8(t.slice(0, i) + put + t.slice(i + cut));
      const f = parseEnvelopeFast(bytes, DEFAULT_LIMITS);
      if (!f) return;
      const g = general(bytes);
      assert.ok(g, 'the fast path accepted what the general path refuses');
      assert.deepEqual(f.envelope, g.envelope);
      assert.deepEqual(new Uint8Array(f.signingInput), new Uint8Array(g.signingInput));
      assert.deepEqual(new Uint8Array(f.payloadAad), new Uint8Array(g.payloadAad));
    }),
    { numRuns: 2000 },
  );
});
