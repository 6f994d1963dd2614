/**
 * The node descriptor: what a node tells its peers about itself (party, node id, endpoints, public
 * keys, creation time), self-signed with its Ed25519 key over "parley/descriptor/v1\n" || JCS(body).
 * Self-signing proves possession of the key, not who holds it: peers confirm the fingerprint out of
 * band (a phone call between duty officers) before they trust a descriptor.
 */
import { type Clock, invalid, isoMillis, ParleyError, systemClock } from '../core/index.js';
import { fromB64u, toB64u } from './bytes.js';
import { canonicalBytes } from './canonical-json.js';
import { sign, signingInput, verify } from './ed25519.js';
import { checkNodeId, NODE_ID, type NodeIdentity } from './identity.js';

export const DESCRIPTOR_CONTEXT = 'parley/descriptor/v1';

export interface NodeDescriptor {
  v: 1;
  type: 'parley.node-descriptor';
  party: string;
  node: string;
  endpoints: string[];
  signing_key: string;
  agreement_key: string;
  created: string;
  sig: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** `signDescriptor(identity, { party: 'CERT-A', endpoints: ['https://a.example/peer'] })` */
export function signDescriptor(
  identity: NodeIdentity,
  info: { party: string; endpoints: string[]; clock?: Clock },
): NodeDescriptor {
  if (info.party.length === 0 || info.party.length > 200) {
    throw invalid('descriptor.invalid', 'party must be 1 to 200 characters', { field: 'party' });
  }
  for (const e of info.endpoints) {
    if (!URL.canParse(e))
      throw invalid('descriptor.invalid', `endpoint "${e}" is not a URL`, { field: 'endpoints' });
  }
  const body = {
    v: 1 as const,
    type: 'parley.node-descriptor' as const,
    party: info.party,
    node: checkNodeId(identity.nodeId),
    endpoints: [...info.endpoints],
    signing_key: toB64u(identity.signing.publicKey),
    agreement_key: toB64u(identity.agreement.publicKey),
    created: isoMillis((info.clock ?? systemClock).now()),
  };
  const sig = sign(identity.signing, signingInput(DESCRIPTOR_CONTEXT, canonicalBytes(body)));
  return { ...body, sig: toB64u(sig) };
}

/** Checks shape and self-signature; returns the typed descriptor or throws descriptor.malformed / .bad_signature. */
export function verifyDescriptor(value: unknown): NodeDescriptor {
  const bad = (why: string) => new ParleyError('descriptor.malformed', `node descriptor: ${why}`, 400);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not an object');
  const d = value as Record<string, unknown>;
  const keys = Object.keys(d).sort().join(',');
  if (keys !== 'agreement_key,created,endpoints,node,party,sig,signing_key,type,v')
    throw bad(`unexpected fields ${keys}`);
  if (d.v !== 1 || d.type !== 'parley.node-descriptor')
    throw bad('v must be 1 and type "parley.node-descriptor"');
  if (typeof d.party !== 'string' || d.party.length === 0) throw bad('party must be a non-empty string');
  if (typeof d.node !== 'string' || !NODE_ID.test(d.node)) throw bad('node must be a node id');
  if (!Array.isArray(d.endpoints) || !d.endpoints.every((e) => typeof e === 'string' && URL.canParse(e))) {
    throw bad('endpoints must be URLs');
  }
  if (typeof d.created !== 'string' || !ISO.test(d.created)) throw bad('created must be RFC 3339 UTC');
  const signingKey = typeof d.signing_key === 'string' ? fromB64u(d.signing_key, 32) : undefined;
  const agreementKey = typeof d.agreement_key === 'string' ? fromB64u(d.agreement_key, 32) : undefined;
  const sig = typeof d.sig === 'string' ? fromB64u(d.sig, 64) : undefined;
  if (!signingKey || !agreementKey || !sig)
    throw bad('keys and sig must be base64url of 32, 32 and 64 bytes');
  const { sig: _sig, ...body } = d;
  if (!verify(signingKey, signingInput(DESCRIPTOR_CONTEXT, canonicalBytes(body)), sig)) {
    throw new ParleyError(
      'descriptor.bad_signature',
      `node descriptor of ${d.node}: self-signature does not verify`,
      400,
    );
  }
  return d as unknown as NodeDescriptor;
}
