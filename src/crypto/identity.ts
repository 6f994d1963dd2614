/**
 * A node's identity: an Ed25519 key that signs (envelopes, receipts, descriptors, tree heads) and an
 * X25519 key that envelopes are sealed to. The node id is chosen once at `init` and survives key
 * rotation; by default it is derived from the first signing key.
 */
import { createHash } from 'node:crypto';
import { type Clock, invalid, isoMillis, systemClock } from '../core/index.js';
import { utf8 } from './bytes.js';
import { generateKeyPair, type KeyPair } from './keys.js';

export interface NodeIdentity {
  readonly nodeId: string;
  /** RFC 3339 UTC, when these keys were made. */
  readonly created: string;
  readonly signing: KeyPair;
  readonly agreement: KeyPair;
}

/** Node ids: lower-case letters, digits, '.', '_', '-'; 1 to 64 characters, starting alphanumeric. */
export const NODE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function checkNodeId(nodeId: string, where = 'nodeId'): string {
  if (!NODE_ID.test(nodeId)) {
    throw invalid('identity.invalid_node_id', `${where} "${nodeId}" must match ${NODE_ID.source}`, {
      field: where,
    });
  }
  return nodeId;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  return out;
}

/** The default node id: "node-" and 80 bits of SHA-256 of the first signing key, in base32. */
export const defaultNodeId = (signingKey: Uint8Array): string =>
  `node-${base32(createHash('sha256').update(signingKey).digest().subarray(0, 10))}`;

/** Makes fresh keys. `generateIdentity()` or `generateIdentity({ nodeId: 'cert-a' })`. */
export function generateIdentity(opts: { nodeId?: string; clock?: Clock } = {}): NodeIdentity {
  const signing = generateKeyPair('ed25519');
  const agreement = generateKeyPair('x25519');
  const nodeId = checkNodeId(opts.nodeId ?? defaultNodeId(signing.publicKey));
  return { nodeId, created: isoMillis((opts.clock ?? systemClock).now()), signing, agreement };
}

/**
 * A fingerprint two duty officers can read to each other over the phone, in the manner of Signal's
 * safety numbers: SHA-256("parley fingerprint v1\n" || Ed25519 public key), six 5-byte chunks, each
 * taken as a big-endian integer modulo 100000 and written as 5 digits: 30 digits, about 100 bits.
 * `fingerprint(pub)` -> "85710 35846 04216 79140 18317 22360" (docs/PROTOCOL.md section 2.1).
 */
export function fingerprint(signingKey: Uint8Array): string {
  const h = createHash('sha256').update(utf8('parley fingerprint v1\n')).update(signingKey).digest();
  const groups: string[] = [];
  for (let i = 0; i < 6; i++) {
    let n = 0;
    for (let j = 0; j < 5; j++) n = n * 256 + (h[i * 5 + j] ?? 0);
    groups.push(String(n % 100000).padStart(5, '0'));
  }
  return groups.join(' ');
}
