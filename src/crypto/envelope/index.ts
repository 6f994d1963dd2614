export { type CreateEnvelopeInput, createEnvelope, type SealedEnvelope } from './create.js';
export {
  type AgreementCheck,
  envelopeError,
  type OpenEnvelopeOptions,
  type OpenedEnvelope,
  openEnvelope,
} from './open.js';
export { MemoryReplayGuard, type ReplayGuard } from './replay-guard.js';
export { envelopeHash, envelopeSigningInput, payloadAad } from './seal.js';
export {
  DEFAULT_LIMITS,
  ENVELOPE_CONTEXT,
  ENVELOPE_ERRORS,
  ENVELOPE_VERSION,
  type Envelope,
  type EnvelopeErrorCode,
  type EnvelopeLimits,
  type EnvelopeRecipient,
} from './types.js';
