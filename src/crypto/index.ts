/**
 * crypto: node identity (Ed25519 + X25519), key files, descriptors, key rotation, canonical JSON
 * (RFC 8785), HPKE (RFC 9180) and the signed, sealed envelopes that cross between nodes.
 * The wire format is specified in docs/PROTOCOL.md.
 */
export { equalBytes, fromB64u, fromHex, toB64u, toHex, utf8 } from './bytes.js';
export {
  canonicalBytes,
  canonicalJson,
  decodeJsonPayload,
  encodeJsonPayload,
  type JsonValue,
  parseCanonical,
} from './canonical-json.js';
export { DESCRIPTOR_CONTEXT, type NodeDescriptor, signDescriptor, verifyDescriptor } from './descriptor.js';
export { sign, signingInput, verify } from './ed25519.js';
export * from './envelope/index.js';
export {
  checkNodeId,
  defaultNodeId,
  fingerprint,
  generateIdentity,
  NODE_ID,
  type NodeIdentity,
} from './identity.js';
export {
  type Curve,
  generateKeyPair,
  KeyObjectCache,
  type KeyPair,
  keyPairFromPrivate,
  publicKeyObject,
} from './keys.js';
export { loadIdentity, saveIdentity } from './keystore.js';
export {
  type ChainResult,
  followChain,
  type KeyRotation,
  ROTATION_CONTEXT,
  rotateIdentity,
  signRotation,
} from './rotation.js';
