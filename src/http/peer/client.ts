/**
 * The outbound half of the peer protocol: fetch a peer's descriptor, post an envelope. A direct send
 * with clear errors; durable delivery (an outbox with retries) is built on top by the hotline.
 */
import { ParleyError } from '../../core/index.js';
import { type NodeDescriptor, verifyDescriptor } from '../../crypto/index.js';
import { normaliseUrl } from './peers.js';

export const PEER_PATHS = {
  descriptor: '/peer/v1/descriptor',
  envelopes: '/peer/v1/envelopes',
} as const;

/** The media type of an envelope in a request body: its canonical bytes, nothing else. */
export const ENVELOPE_MEDIA_TYPE = 'application/parley-envelope+json';

/** What a peer answers to an accepted envelope. */
export interface PeerAnswer {
  id: string;
  /** SHA-256 of the envelope bytes, hex. */
  hash: string;
  /** What the handler of the envelope's type returned, if anything. */
  result?: unknown;
  /** The receiver's signed receipt. */
  receipt: unknown;
}

export interface PeerClientOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class PeerClient {
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(opts: PeerClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** GET /peer/v1/descriptor, with the self-signature checked. The caller still compares the fingerprint. */
  async fetchDescriptor(url: string): Promise<NodeDescriptor> {
    const base = normaliseUrl(url);
    const res = await this.request(base, PEER_PATHS.descriptor, { method: 'GET' });
    const body = await this.json(base, res);
    if (!res.ok) throw this.remoteError(base, res.status, body);
    return verifyDescriptor(body);
  }

  /**
   * POST /peer/v1/envelopes with the envelope's canonical bytes. Resolves with the peer's receipt;
   * rejects with the peer's own error code (e.g. envelope.replay) and `details.remote = true`, or
   * with peer.unreachable / peer.bad_response.
   */
  async send(peer: { url: string; node?: string }, bytes: Uint8Array): Promise<PeerAnswer> {
    const base = normaliseUrl(peer.url);
    const res = await this.request(base, PEER_PATHS.envelopes, {
      method: 'POST',
      headers: { 'content-type': ENVELOPE_MEDIA_TYPE },
      body: bytes,
    });
    const body = await this.json(base, res);
    if (!res.ok) throw this.remoteError(base, res.status, body, peer.node);
    const a = body as PeerAnswer;
    if (typeof a?.id !== 'string' || typeof a.hash !== 'string')
      throw new ParleyError('peer.bad_response', `${base} answered without an envelope id and hash`, 502);
    return a;
  }

  private async request(base: string, path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(`${base}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const why =
        (e as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : describe(e);
      throw new ParleyError(
        'peer.unreachable',
        `peer ${base} is unreachable: ${why}`,
        502,
        { url: base },
        { cause: e },
      );
    }
  }

  private async json(base: string, res: Response): Promise<unknown> {
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new ParleyError(
        'peer.bad_response',
        `${base} answered ${res.status} with a body that is not JSON`,
        502,
      );
    }
  }

  private remoteError(base: string, status: number, body: unknown, node?: string): ParleyError {
    const b = body as { code?: unknown; message?: unknown };
    const code = typeof b?.code === 'string' ? b.code : 'peer.refused';
    const msg = typeof b?.message === 'string' ? b.message : `HTTP ${status}`;
    return new ParleyError(code, `peer ${node ?? base} refused: ${msg}`, status, {
      url: base,
      remote: true,
      status,
    });
  }
}

function describe(e: unknown): string {
  const c = (e as { cause?: { code?: string; message?: string } }).cause;
  return c?.code ?? c?.message ?? (e as Error).message;
}
