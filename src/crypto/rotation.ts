/**
 * Key rotation. A KeyRotation statement names the node, its previous and new signing keys and its
 * new X25519 key; it is signed by the previous key (authority: "I hand over to this key") and by the
 * new key (possession: "I hold it"), each over "parley/key-rotation/v1\n" || JCS(statement without
 * signatures). A peer that knows an old key follows the chain, one statement at a time, to the
 * current key; any gap, bad signature or step back in time stops it with an error code.
 */
import { type Clock, isoMillis, systemClock } from '../core/index.js';
import { equalBytes, fromB64u, toB64u } from './bytes.js';
import { canonicalBytes } from './canonical-json.js';
import { sign, signingInput, verify } from './ed25519.js';
import type { NodeIdentity } from './identity.js';
import { generateKeyPair } from './keys.js';

export const ROTATION_CONTEXT = 'parley/key-rotation/v1';

export interface KeyRotation {
  v: 1;
  type: 'parley.key-rotation';
  node: string;
  previous_key: string;
  new_key: string;
  new_agreement_key: string;
  created: string;
  sig_previous: string;
  sig_new: string;
}

export type ChainResult =
  | { ok: true; signingKey: Uint8Array; agreementKey?: Uint8Array; steps: number }
  | {
      ok: false;
      code:
        | 'rotation.malformed'
        | 'rotation.broken_chain'
        | 'rotation.bad_signature'
        | 'rotation.out_of_order';
      index: number;
      message: string;
    };

const body = (r: Omit<KeyRotation, 'sig_previous' | 'sig_new'>) => ({
  v: r.v,
  type: r.type,
  node: r.node,
  previous_key: r.previous_key,
  new_key: r.new_key,
  new_agreement_key: r.new_agreement_key,
  created: r.created,
});

/** Signs the hand-over from `previous` to `next` (same node id). */
export function signRotation(
  previous: NodeIdentity,
  next: NodeIdentity,
  clock: Clock = systemClock,
): KeyRotation {
  const b = body({
    v: 1,
    type: 'parley.key-rotation',
    node: previous.nodeId,
    previous_key: toB64u(previous.signing.publicKey),
    new_key: toB64u(next.signing.publicKey),
    new_agreement_key: toB64u(next.agreement.publicKey),
    created: isoMillis(clock.now()),
  });
  const input = signingInput(ROTATION_CONTEXT, canonicalBytes(b));
  return {
    ...b,
    sig_previous: toB64u(sign(previous.signing, input)),
    sig_new: toB64u(sign(next.signing, input)),
  };
}

/** New keys for the same node, and the statement that hands over to them. */
export function rotateIdentity(identity: NodeIdentity, clock: Clock = systemClock) {
  const next: NodeIdentity = {
    nodeId: identity.nodeId,
    created: isoMillis(clock.now()),
    signing: generateKeyPair('ed25519'),
    agreement: generateKeyPair('x25519'),
  };
  return { identity: next, rotation: signRotation(identity, next, clock) };
}

/**
 * Follows `chain` (oldest first) from a key the caller already trusts. Statements before the one
 * that starts at `knownKey` are ignored: the peer may send its whole history.
 * `followChain(pinnedKey, rotations)` -> `{ ok: true, signingKey, agreementKey, steps }` or `{ ok: false, code, index }`.
 */
export function followChain(knownKey: Uint8Array, chain: readonly unknown[], nodeId?: string): ChainResult {
  const parsed: {
    r: KeyRotation;
    prev: Uint8Array;
    next: Uint8Array;
    agree: Uint8Array;
    sp: Uint8Array;
    sn: Uint8Array;
  }[] = [];
  for (const [i, raw] of chain.entries()) {
    const r = raw as KeyRotation;
    const prev = typeof r?.previous_key === 'string' ? fromB64u(r.previous_key, 32) : undefined;
    const next = typeof r?.new_key === 'string' ? fromB64u(r.new_key, 32) : undefined;
    const agree = typeof r?.new_agreement_key === 'string' ? fromB64u(r.new_agreement_key, 32) : undefined;
    const sp = typeof r?.sig_previous === 'string' ? fromB64u(r.sig_previous, 64) : undefined;
    const sn = typeof r?.sig_new === 'string' ? fromB64u(r.sig_new, 64) : undefined;
    if (
      r?.v !== 1 ||
      r.type !== 'parley.key-rotation' ||
      typeof r.node !== 'string' ||
      typeof r.created !== 'string' ||
      Number.isNaN(Date.parse(r.created)) ||
      !prev ||
      !next ||
      !agree ||
      !sp ||
      !sn
    ) {
      return {
        ok: false,
        code: 'rotation.malformed',
        index: i,
        message: `rotation ${i}: not a well-formed KeyRotation`,
      };
    }
    if (nodeId !== undefined && r.node !== nodeId) {
      return {
        ok: false,
        code: 'rotation.malformed',
        index: i,
        message: `rotation ${i} is for node ${r.node}, not ${nodeId}`,
      };
    }
    parsed.push({ r, prev, next, agree, sp, sn });
  }
  const start = parsed.findIndex((p) => equalBytes(p.prev, knownKey));
  if (start < 0) {
    const last = parsed.at(-1);
    if (parsed.length === 0 || (last && equalBytes(last.next, knownKey)))
      return { ok: true, signingKey: knownKey, steps: 0 };
    return {
      ok: false,
      code: 'rotation.broken_chain',
      index: 0,
      message: 'no rotation starts from the known key',
    };
  }
  let current = knownKey;
  let agreementKey: Uint8Array | undefined;
  let lastCreated = Number.NEGATIVE_INFINITY;
  for (let i = start; i < parsed.length; i++) {
    const p = parsed[i]!;
    if (!equalBytes(p.prev, current)) {
      return {
        ok: false,
        code: 'rotation.broken_chain',
        index: i,
        message: `rotation ${i} does not start from the key reached so far`,
      };
    }
    if (p.r.node !== parsed[start]!.r.node) {
      return { ok: false, code: 'rotation.malformed', index: i, message: `rotation ${i} names another node` };
    }
    const created = Date.parse(p.r.created);
    if (created < lastCreated) {
      return {
        ok: false,
        code: 'rotation.out_of_order',
        index: i,
        message: `rotation ${i} is older than the one before it`,
      };
    }
    const input = signingInput(ROTATION_CONTEXT, canonicalBytes(body(p.r)));
    if (!verify(p.prev, input, p.sp) || !verify(p.next, input, p.sn)) {
      return {
        ok: false,
        code: 'rotation.bad_signature',
        index: i,
        message: `rotation ${i}: a signature does not verify`,
      };
    }
    current = p.next;
    agreementKey = p.agree;
    lastCreated = created;
  }
  return { ok: true, signingKey: current, agreementKey, steps: parsed.length - start };
}
