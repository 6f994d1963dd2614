/** Building an envelope: seal, wrap, sign, serialise (docs/PROTOCOL.md section 6). */
import { randomBytes } from 'node:crypto';
import { type Clock, isoMillis, ParleyError, systemClock } from '../../core/index.js';
import { toB64u } from '../bytes.js';
import { canonicalBytes } from '../canonical-json.js';
import { sign } from '../ed25519.js';
import type { NodeIdentity } from '../identity.js';
import { checkEnvelope } from './schema.js';
import { CONTENT_AEAD, envelopeHash, envelopeSigningInput, payloadAad, WRAP, wrapAad } from './seal.js';
import { DEFAULT_LIMITS, type Envelope, type EnvelopeLimits } from './types.js';

export interface CreateEnvelopeInput {
  /** The sender. */
  identity: NodeIdentity;
  type: string;
  /** Each recipient's node id and X25519 public key (from its verified descriptor). */
  recipients: readonly { node: string; key: Uint8Array }[];
  agreement: string | null;
  payload: Uint8Array;
  clock?: Clock;
  /** Lifetime from now; 24 hours unless given. */
  ttlMs?: number;
  limits?: Partial<EnvelopeLimits>;
  /** Source of randomness (id, content key, nonce, HPKE ephemeral keys); fixtures pass a seeded one. */
  random?: (n: number) => Uint8Array;
}

export interface SealedEnvelope {
  envelope: Envelope;
  /** The canonical bytes: what goes on the wire and into the ledger. */
  bytes: Uint8Array;
  /** SHA-256 of `bytes`. */
  hash: Uint8Array;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Seals `payload` to the recipients and signs it.
 * `createEnvelope({ identity, type: 'hotline.message', recipients: [{ node: 'cert-b', key }], agreement: 'agr-1', payload })`
 */
export function createEnvelope(input: CreateEnvelopeInput): SealedEnvelope {
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const random = input.random ?? ((n: number) => new Uint8Array(randomBytes(n)));
  // With an injected random source the HPKE ephemeral keys come from it too (DeriveKeyPair).
  const ikmE = input.random ? () => random(32) : () => undefined;
  const now = (input.clock ?? systemClock).now();
  const ttl = input.ttlMs ?? DAY;
  if (!(ttl > 0 && ttl <= limits.maxLifetimeMs)) {
    throw new ParleyError(
      'envelope.lifetime_too_long',
      `ttlMs must be between 1 and ${limits.maxLifetimeMs}`,
      400,
      { field: 'ttlMs' },
    );
  }
  if (input.recipients.length > limits.maxRecipients) {
    throw new ParleyError(
      'envelope.oversized',
      `${input.recipients.length} recipients; at most ${limits.maxRecipients}`,
      413,
    );
  }
  // Base64url makes the payload 4/3 larger: refuse before any crypto if it cannot fit.
  if (Math.ceil((input.payload.length * 4) / 3) > limits.maxBytes) {
    throw new ParleyError(
      'envelope.oversized',
      `payload of ${input.payload.length} bytes cannot fit in ${limits.maxBytes}`,
      413,
      {
        size: input.payload.length,
      },
    );
  }
  const id = toB64u(random(16));
  const cek = random(32);
  const iv = random(12);
  const recipients = input.recipients.map((r) => {
    const { enc, ct } = WRAP.seal(r.key, wrapAad(id), cek, ikmE());
    return { node: r.node, key: toB64u(r.key), enc: toB64u(enc), wrapped_key: toB64u(ct) };
  });
  const header = {
    v: 1 as const,
    id,
    type: input.type,
    sender: { node: input.identity.nodeId, key: toB64u(input.identity.signing.publicKey) },
    recipients,
    agreement: input.agreement,
    created: isoMillis(now),
    expires: isoMillis(now + ttl),
  };
  const ct = CONTENT_AEAD.seal(cek, iv, payloadAad(header), input.payload);
  const unsigned = { ...header, payload: { alg: 'A256GCM' as const, iv: toB64u(iv), ct: toB64u(ct) } };
  const envelope: Envelope = {
    ...unsigned,
    sig: toB64u(sign(input.identity.signing, envelopeSigningInput(unsigned))),
  };
  // The sender checks its own output against the rules the receiver applies, so a bad type or
  // node id fails here, with a field name, instead of at the peer.
  const check = checkEnvelope(envelope, limits);
  if (!check.ok) throw new ParleyError(check.code, `createEnvelope: ${check.message}`, 400);
  const bytes = canonicalBytes(envelope);
  if (bytes.length > limits.maxBytes) {
    throw new ParleyError(
      'envelope.oversized',
      `envelope would be ${bytes.length} bytes; at most ${limits.maxBytes}`,
      413,
      {
        size: bytes.length,
      },
    );
  }
  return { envelope, bytes, hash: envelopeHash(bytes) };
}
