/**
 * Receiving an envelope. The checks run in the order of docs/PROTOCOL.md section 7: cheap before
 * expensive, the signature before anything trusts the content, and the replay guard last, so that
 * an envelope refused for any other reason leaves no trace.
 */
import { type Clock, ParleyError, systemClock } from '../../core/index.js';
import { equalBytes } from '../bytes.js';
import { parseCanonical } from '../canonical-json.js';
import { verify } from '../ed25519.js';
import type { NodeIdentity } from '../identity.js';
import type { KeyObjectCache } from '../keys.js';
import { parseEnvelopeFast } from './fast-parse.js';
import type { ReplayGuard } from './replay-guard.js';
import { checkEnvelope } from './schema.js';
import { CONTENT_AEAD, envelopeHash, signedPartsOf, WRAP, wrapAad } from './seal.js';
import {
  DEFAULT_LIMITS,
  ENVELOPE_ERRORS,
  type Envelope,
  type EnvelopeErrorCode,
  type EnvelopeLimits,
} from './types.js';

type MaybePromise<T> = T | Promise<T>;

/**
 * Awaits only what is a promise: the lookups are often synchronous (caches, maps), and each
 * `await` of a plain value still costs a trip through the microtask queue on every envelope.
 */
const isThenable = <T>(v: MaybePromise<T>): v is Promise<T> =>
  typeof (v as { then?: unknown } | null | undefined)?.then === 'function';

/** What the agreement layer answers about an envelope's agreement; declared here, implemented by pact/. */
export interface AgreementCheck {
  /** Is the agreement in force at `at` (ms since epoch)? */
  inForce(agreementId: string, at: number): MaybePromise<boolean>;
  /** May this node, with this signing key, send under the agreement? */
  isMember(agreementId: string, sender: { node: string; key: Uint8Array }): MaybePromise<boolean>;
  /** Envelope types that may travel without an agreement (e.g. the first exchange of descriptors). */
  allowWithoutAgreement?(type: string): boolean;
}

export interface OpenEnvelopeOptions {
  /** The receiving node. */
  identity: NodeIdentity;
  /** The signing keys this node currently accepts for a peer (after following its rotations); none if unknown. */
  resolveSender(nodeId: string): MaybePromise<readonly Uint8Array[] | undefined>;
  seenIds: ReplayGuard;
  agreementCheck: AgreementCheck;
  clock?: Clock;
  limits?: Partial<EnvelopeLimits>;
  /** Reuses imported sender keys across calls; a node passes one it keeps for its lifetime. */
  keyCache?: KeyObjectCache;
}

export interface OpenedEnvelope {
  envelope: Envelope;
  payload: Uint8Array;
  /** SHA-256 of the canonical bytes (equal to the wire bytes): what the ledger logs. */
  hash: Uint8Array;
}

export function envelopeError(
  code: EnvelopeErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): ParleyError {
  return new ParleyError(code, message, ENVELOPE_ERRORS[code], details);
}

/** Steps 2-4 for envelopes the fast path did not accept; throws the first check's rejection. */
function parseGeneral(bytes: Uint8Array, limits: EnvelopeLimits) {
  // 2. Parse and 3. canonical form: the wire bytes must be exactly JCS(parse(bytes)).
  const parsed = parseCanonical(bytes);
  if (!parsed.ok) {
    if (parsed.reason === 'not_canonical') {
      throw envelopeError('envelope.not_canonical', 'envelope bytes are not in RFC 8785 canonical form');
    }
    throw envelopeError(
      'envelope.malformed',
      parsed.reason === 'utf8' ? 'envelope is not UTF-8' : 'envelope is not JSON',
    );
  }
  // 4. Schema and version.
  const s = checkEnvelope(parsed.value, limits);
  if (!s.ok) throw envelopeError(s.code, s.message);
  // The signed parts are cut here too (pure, cannot fail), so both paths yield the same shape.
  return { ...s, ...signedPartsOf(parsed.text, s.envelope) };
}

/**
 * Verifies and opens an envelope addressed to `identity`, or throws a ParleyError whose code names
 * the first check that failed. `const { envelope, payload, hash } = await openEnvelope(bytes, opts)`
 */
export async function openEnvelope(bytes: Uint8Array, opts: OpenEnvelopeOptions): Promise<OpenedEnvelope> {
  const limits = opts.limits ? { ...DEFAULT_LIMITS, ...opts.limits } : DEFAULT_LIMITS;
  const now = (opts.clock ?? systemClock).now();

  // 1. Size, before a byte is parsed.
  if (bytes.length > limits.maxBytes) {
    throw envelopeError(
      'envelope.oversized',
      `envelope is ${bytes.length} bytes; at most ${limits.maxBytes}`,
      { size: bytes.length },
    );
  }
  // 2. Parse, 3. canonical form and 4. schema: the fast path for well-formed envelopes, else the
  // general one, which names the first check that fails.
  const fast = parseEnvelopeFast(bytes, limits);
  const s = fast ?? parseGeneral(bytes, limits);
  const { envelope: e, raw } = s;
  const ids = { id: e.id, sender: e.sender.node };

  // 5. Time window.
  if (s.created > now + limits.maxClockSkewMs) {
    throw envelopeError(
      'envelope.not_yet_valid',
      `envelope ${e.id} is created ${e.created}, ahead of this node's clock`,
      ids,
    );
  }
  if (s.expires <= now)
    throw envelopeError('envelope.expired', `envelope ${e.id} expired at ${e.expires}`, ids);
  if (s.expires - s.created > limits.maxLifetimeMs) {
    throw envelopeError(
      'envelope.lifetime_too_long',
      `envelope ${e.id} lives longer than ${limits.maxLifetimeMs} ms`,
      ids,
    );
  }
  // 6. Sender known.
  const resolved = opts.resolveSender(e.sender.node);
  const keys = isThenable(resolved) ? await resolved : resolved;
  if (!keys?.some((k) => equalBytes(k, raw.senderKey))) {
    throw envelopeError(
      'envelope.unknown_sender',
      `sender ${e.sender.node} with key ${e.sender.key} is not a known peer key`,
      ids,
    );
  }
  // 7. Signature over everything but itself, sealed payload included.
  // e.sender.key is the canonical base64url of raw.senderKey (the schema checked it), so it names
  // the key in the cache without encoding it again.
  const senderKey = opts.keyCache ? opts.keyCache.get('ed25519', raw.senderKey, e.sender.key) : raw.senderKey;
  if (!verify(senderKey, s.signingInput, raw.sig)) {
    throw envelopeError(
      'envelope.bad_signature',
      `envelope ${e.id}: signature of ${e.sender.node} does not verify`,
      ids,
    );
  }
  // 8. Agreement: in force, then membership of the sender.
  const ac = opts.agreementCheck;
  if (e.agreement === null) {
    if (!ac.allowWithoutAgreement?.(e.type)) {
      throw envelopeError(
        'envelope.agreement_not_in_force',
        `envelope ${e.id} of type ${e.type} names no agreement`,
        ids,
      );
    }
  } else {
    const inForce = ac.inForce(e.agreement, now);
    if (!(isThenable(inForce) ? await inForce : inForce)) {
      throw envelopeError('envelope.agreement_not_in_force', `agreement ${e.agreement} is not in force`, {
        ...ids,
        agreement: e.agreement,
      });
    }
    const member = ac.isMember(e.agreement, { node: e.sender.node, key: raw.senderKey });
    if (!(isThenable(member) ? await member : member)) {
      throw envelopeError(
        'envelope.sender_not_in_agreement',
        `${e.sender.node} (this key) is not a party to agreement ${e.agreement}`,
        {
          ...ids,
          agreement: e.agreement,
        },
      );
    }
  }
  // 9. Addressed to this node.
  const me = opts.identity;
  const i = raw.recipients.findIndex((r) => equalBytes(r.key, me.agreement.publicKey));
  if (i < 0 || e.recipients[i]?.node !== me.nodeId) {
    throw envelopeError(
      'envelope.wrong_recipient',
      `envelope ${e.id} is not addressed to ${me.nodeId} with this node's key`,
      ids,
    );
  }
  // 10. Open: unwrap the content key, then the payload.
  const r = raw.recipients[i]!;
  const cek = WRAP.open(r.enc, me.agreement, wrapAad(e.id), r.wrappedKey);
  const payload = cek && cek.length === 32 ? CONTENT_AEAD.open(cek, raw.iv, s.payloadAad, raw.ct) : undefined;
  if (!payload)
    throw envelopeError(
      'envelope.decrypt_failed',
      `envelope ${e.id}: the payload does not decrypt with this node's key`,
      ids,
    );
  // 11. Replay, last: only an envelope that passed everything is remembered. Decryption comes
  // before it so that a failure there (a sender's bug, a key we rotated) does not burn the id: the
  // sender can fix the envelope and send it again under the same id.
  if (await opts.seenIds.seen(e.id, s.expires)) {
    throw envelopeError('envelope.replay', `envelope ${e.id} was already received`, ids);
  }
  return { envelope: e, payload, hash: envelopeHash(bytes) };
}
