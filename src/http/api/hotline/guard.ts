/**
 * Who may do what on the hotline API. The TAXII role `reader` is deliberately not among them: its
 * tokens go to threat-intel platforms (OpenCTI, MISP), which must never read sealed hotline traffic.
 * `admin` may do everything, as everywhere on the node.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../../../core/index.js';
import { ADMIN_ROLE, type Principal, type RequestAuth } from '../../auth/index.js';

export type HotlineAction = 'read' | 'write' | 'pings';

/** The roles allowed each kind of call (docs/HOTLINE.md "API and CLI"). */
export const HOTLINE_ROLES: Readonly<Record<HotlineAction, readonly string[]>> = {
  /** inbox, sent, messages, threads, alerts, stats, templates, the event stream */
  read: ['officer', 'hotline-reader'],
  /** send, acknowledge, respond, close, run the deadline check */
  write: ['officer'],
  /** ping-test schedule, runs and results */
  pings: ['directory-manager'],
};

const WHAT: Record<HotlineAction, string> = {
  read: 'read hotline traffic',
  write: 'send, acknowledge, respond to or close hotline messages',
  pings: 'manage ping tests',
};

declare module 'fastify' {
  interface FastifyRequest {
    hotlinePrincipal?: Principal;
  }
}

/** An onRequest hook: 401 without valid credentials (or 403 auth.csrf), 403 when the role may not do `action`. */
export function guard(auth: RequestAuth, action: HotlineAction) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // A Bearer token, HTTP Basic, or the web UI's session cookie (with its CSRF token on writes).
    const p = await auth.require(req, reply);
    const allowed = HOTLINE_ROLES[action];
    if (p.role !== ADMIN_ROLE && !allowed.includes(p.role))
      throw new ParleyError(
        'auth.forbidden',
        `role "${p.role}" may not ${WHAT[action]} (roles allowed: ${[...allowed, ADMIN_ROLE].join(', ')})`,
        403,
        { role: p.role, allowed: [...allowed, ADMIN_ROLE] },
      );
    req.hotlinePrincipal = p;
  };
}
