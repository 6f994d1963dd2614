/**
 * The HPKE key schedule and encryption context (RFC 9180 sections 5.1-5.3), base mode only
 * (mode_base = 0x00): parley authenticates senders with Ed25519 signatures, not with the KEM.
 */
import { concat, i2osp, utf8 } from '../bytes.js';
import type { Aead } from './aead.js';
import { labeledExpand, labeledExtract, NH } from './kdf.js';

export const MODE_BASE = 0x00;
export const KDF_HKDF_SHA256 = 0x0001;
const EMPTY = new Uint8Array(0);

export const suiteId = (kemId: number, aead: Aead): Uint8Array =>
  concat(utf8('HPKE'), i2osp(kemId, 2), i2osp(KDF_HKDF_SHA256, 2), i2osp(aead.id, 2));

export interface KeySchedule {
  keyScheduleContext: Uint8Array;
  secret: Uint8Array;
  key: Uint8Array;
  baseNonce: Uint8Array;
  exporterSecret: Uint8Array;
}

/**
 * The key_schedule_context for mode_base with the default (empty) PSK: it depends only on the suite
 * and `info`, so a caller that always uses one `info` computes it once.
 */
export function baseKeyScheduleContext(suite: Uint8Array, info: Uint8Array): Uint8Array {
  const pskIdHash = labeledExtract(suite, EMPTY, 'psk_id_hash', EMPTY);
  const infoHash = labeledExtract(suite, EMPTY, 'info_hash', info);
  return concat(Uint8Array.of(MODE_BASE), pskIdHash, infoHash);
}

/** KeySchedule<ROLE>(mode_base, shared_secret, info, default_psk, default_psk_id), section 5.1. */
export function keySchedule(
  suite: Uint8Array,
  aead: Aead,
  sharedSecret: Uint8Array,
  info: Uint8Array,
  keyScheduleContext = baseKeyScheduleContext(suite, info),
): KeySchedule {
  const secret = labeledExtract(suite, sharedSecret, 'secret', EMPTY);
  let exporterSecret: Uint8Array | undefined;
  return {
    keyScheduleContext,
    secret,
    key: labeledExpand(suite, secret, 'key', keyScheduleContext, aead.nk),
    baseNonce: labeledExpand(suite, secret, 'base_nonce', keyScheduleContext, aead.nn),
    // Derived on first use: a single-shot seal or open never exports.
    get exporterSecret() {
      exporterSecret ??= labeledExpand(suite, secret, 'exp', keyScheduleContext, NH);
      return exporterSecret;
    },
  };
}

/** An encryption context; the sender seals, the recipient opens, both may export (section 5.3). */
export class HpkeContext {
  private seq = 0;
  constructor(
    private readonly suite: Uint8Array,
    private readonly aead: Aead,
    readonly schedule: KeySchedule,
  ) {}

  get sequence(): number {
    return this.seq;
  }

  /** Only for replaying published vectors that skip sequence numbers. */
  setSequence(n: number): void {
    this.seq = n;
  }

  /** ComputeNonce(seq): base_nonce XOR I2OSP(seq, Nn). */
  nonce(seq = this.seq): Uint8Array {
    const s = i2osp(seq, this.aead.nn);
    const out = new Uint8Array(this.aead.nn);
    for (let i = 0; i < out.length; i++) out[i] = (this.schedule.baseNonce[i] ?? 0) ^ (s[i] ?? 0);
    return out;
  }

  seal(aad: Uint8Array, pt: Uint8Array): Uint8Array {
    const ct = this.aead.seal(this.schedule.key, this.nonce(), aad, pt);
    this.seq++;
    return ct;
  }

  /** Undefined when the ciphertext does not authenticate (the sequence number does not advance). */
  open(aad: Uint8Array, ct: Uint8Array): Uint8Array | undefined {
    const pt = this.aead.open(this.schedule.key, this.nonce(), aad, ct);
    if (pt !== undefined) this.seq++;
    return pt;
  }

  /** Context.Export(exporter_context, L), section 5.3. */
  export(exporterContext: Uint8Array, length: number): Uint8Array {
    return labeledExpand(this.suite, this.schedule.exporterSecret, 'sec', exporterContext, length);
  }
}
