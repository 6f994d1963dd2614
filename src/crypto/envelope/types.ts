/** The envelope as it travels (docs/PROTOCOL.md section 5), its limits and its rejection codes. */

export const ENVELOPE_VERSION = 1;
/** Domain-separation prefix of the envelope signature, and HPKE `info` of the key wrap. */
export const ENVELOPE_CONTEXT = 'parley/envelope/v1';

export interface EnvelopeRecipient {
  /** The recipient's node id. */
  node: string;
  /** The recipient's X25519 public key, base64url (32 bytes). */
  key: string;
  /** HPKE encapsulated key, base64url (32 bytes). */
  enc: string;
  /** The content key sealed with HPKE to `key`, base64url (32 + 16 bytes). */
  wrapped_key: string;
}

export interface Envelope {
  v: 1;
  /** 16 random bytes, base64url (22 characters). */
  id: string;
  /** What the payload is, e.g. "hotline.message"; lower-case dotted words. */
  type: string;
  sender: { node: string; key: string };
  recipients: EnvelopeRecipient[];
  /** The agreement the envelope is sent under, or null for traffic that precedes any agreement. */
  agreement: string | null;
  /** RFC 3339 UTC with milliseconds, e.g. "2026-01-01T00:00:00.000Z". */
  created: string;
  expires: string;
  payload: { alg: 'A256GCM'; iv: string; ct: string };
  /** Ed25519 over "parley/envelope/v1\n" || JCS(envelope without sig), base64url (64 bytes). */
  sig: string;
}

export interface EnvelopeLimits {
  /** Largest serialised envelope accepted or produced, bytes. */
  maxBytes: number;
  maxRecipients: number;
  /** How far `created` may lie ahead of the receiver's clock. */
  maxClockSkewMs: number;
  /** Longest `expires - created`; bounds how long the replay guard must remember an id. */
  maxLifetimeMs: number;
}

export const DEFAULT_LIMITS: Readonly<EnvelopeLimits> = {
  maxBytes: 1024 * 1024,
  maxRecipients: 64,
  maxClockSkewMs: 5 * 60 * 1000,
  maxLifetimeMs: 30 * 24 * 60 * 60 * 1000,
};

/** Every way openEnvelope can refuse an envelope; stable, documented in docs/PROTOCOL.md section 7. */
export const ENVELOPE_ERRORS = {
  'envelope.oversized': 413,
  'envelope.malformed': 400,
  'envelope.not_canonical': 400,
  'envelope.unsupported_version': 400,
  'envelope.not_yet_valid': 400,
  'envelope.expired': 400,
  'envelope.lifetime_too_long': 400,
  'envelope.unknown_sender': 403,
  'envelope.bad_signature': 401,
  'envelope.agreement_not_in_force': 403,
  'envelope.sender_not_in_agreement': 403,
  'envelope.wrong_recipient': 403,
  'envelope.decrypt_failed': 400,
  'envelope.replay': 409,
} as const;

export type EnvelopeErrorCode = keyof typeof ENVELOPE_ERRORS;
