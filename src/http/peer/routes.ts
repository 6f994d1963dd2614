/**
 * The peer protocol over HTTP (mounted by the composition root):
 * - GET  /peer/v1/descriptor  this node's self-signed descriptor (the hello of `parley peer add`);
 * - POST /peer/v1/envelopes   one envelope, its canonical bytes as the body. The envelope's own
 *   signature authenticates the request (rather than RFC 9421 over the HTTP message): it is checked
 *   before anything in it is trusted, and the same bytes go to the ledger.
 * Answers: 200 with the receipt, or the refusal's status with { code, message, details }.
 */
import type { FastifyInstance } from 'fastify';
import { isParleyError, ParleyError } from '../../core/index.js';
import { DEFAULT_LIMITS, type NodeDescriptor } from '../../crypto/index.js';
import type { HttpPlugin } from '../server.js';
import { PEER_PATHS } from './client.js';
import type { PeerInbox } from './inbox.js';
import { ROTATIONS_PATH, type RotationDocument } from './rotation.js';

export interface PeerRouteDeps {
  inbox: PeerInbox;
  /** This node's descriptor, for the base URL the peer used to reach it. */
  descriptor(baseUrl: string): NodeDescriptor;
  /** Key rotation (rotation.ts): this node's signed rotation chain, served at GET /peer/v1/rotations. */
  rotations?: () => Promise<RotationDocument>;
  /** Key rotation: called (not awaited) when an envelope is refused as envelope.unknown_sender. */
  onUnknownSender?: (node: string) => void;
}

export function peerPlugin(deps: PeerRouteDeps): HttpPlugin {
  const maxBytes = deps.inbox.limits.maxBytes ?? DEFAULT_LIMITS.maxBytes;
  return async (app: FastifyInstance) => {
    await app.register(async (peer) => {
      // Raw bytes whatever the content type: the canonical form is checked on these exact bytes.
      peer.removeAllContentTypeParsers();
      peer.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 2 * maxBytes }, (_req, body, done) =>
        done(null, body),
      );
      peer.setErrorHandler((err, _req, reply) => {
        const e = isParleyError(err)
          ? err
          : (err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? new ParleyError('envelope.oversized', `request body exceeds ${2 * maxBytes} bytes`, 413)
            : undefined;
        if (e) return reply.status(e.status).send({ code: e.code, message: e.message, details: e.details });
        const status = (err as { statusCode?: number }).statusCode ?? 500;
        if (status < 500)
          return reply.status(status).send({ code: 'http.bad_request', message: (err as Error).message });
        peer.log.error(err);
        return reply.status(500).send({ code: 'internal', message: 'internal error' });
      });

      peer.get(PEER_PATHS.descriptor, async (req) => deps.descriptor(`${req.protocol}://${req.host}`));

      // Key rotation: signed statements only, no secrets (docs/PROTOCOL.md "Key rotation").
      const rotations = deps.rotations;
      if (rotations) peer.get(ROTATIONS_PATH, async () => rotations());

      peer.post(PEER_PATHS.envelopes, async (req) => {
        const body = req.body;
        if (!Buffer.isBuffer(body))
          throw new ParleyError('envelope.malformed', 'the body must be the envelope bytes', 400);
        try {
          return await deps.inbox.receive(new Uint8Array(body.buffer, body.byteOffset, body.length));
        } catch (e) {
          // Key rotation: a known peer with an unknown key may have rotated; follow its chain.
          const sender =
            isParleyError(e) && e.code === 'envelope.unknown_sender' ? e.details?.sender : undefined;
          if (typeof sender === 'string') deps.onUnknownSender?.(sender);
          throw e;
        }
      });
    });
  };
}
