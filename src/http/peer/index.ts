/**
 * The peer protocol: node-to-node HTTP where every request body is a signed envelope (POST
 * /peer/v1/envelopes) and the hello is the node's self-signed descriptor (GET /peer/v1/descriptor).
 */
export {
  ENVELOPE_MEDIA_TYPE,
  PEER_PATHS,
  type PeerAnswer,
  PeerClient,
  type PeerClientOptions,
} from './client.js';
export {
  type Accepted,
  type InboundContext,
  type InboundHandler,
  PeerInbox,
  type PeerInboxOptions,
  RECEIPT_CONTEXT,
  type ReceiptHook,
} from './inbox.js';
export { type MessengerOptions, PeerMessenger, type SentHook } from './messenger.js';
export { outboxSender, retryable } from './outbox-sender.js';
export { normaliseFingerprint, normaliseUrl, type Peer, PeerRegistry } from './peers.js';
export {
  ROTATIONS_PATH,
  type RotatedKeys,
  type RotationDocument,
  rotateNodeKeys,
  rotationChain,
  rotationDocument,
} from './rotation.js';
export {
  type FollowOptions,
  type FollowResult,
  fetchRotations,
  followPeerRotations,
} from './rotation-follow.js';
export { type PeerRouteDeps, peerPlugin } from './routes.js';
export { createPeerServices, type PeerServices, type PeerServicesOptions } from './services.js';
export { REPLAY_GRACE_MS, StoreReplayGuard } from './store-replay-guard.js';
