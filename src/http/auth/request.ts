/**
 * Who is calling, from a request: an `Authorization` header (Bearer API token or HTTP Basic), else
 * the session cookie. A state-changing request (anything but GET, HEAD, OPTIONS) that rides on the
 * cookie must echo the session's CSRF token in `x-csrf-token`: a browser attaches cookies to
 * cross-site requests on its own, never a custom header. Header-authenticated requests are exempt,
 * since no browser adds an Authorization header unasked.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Clock, ParleyError, systemClock } from '../../core/index.js';
import type { Database } from '../../store/index.js';
import { Authenticator, CHALLENGES } from './authenticate.js';
import { forbidden, may, type Permission } from './permissions.js';
import { type Principal, Principals } from './principals.js';
import { SESSION_COOKIE, type SessionInfo, Sessions } from './sessions.js';

export const CSRF_HEADER = 'x-csrf-token';

export interface Caller extends Principal {
  via: 'header' | 'session';
  /** With `via: 'session'`: the session (its user, CSRF token, end) and the cookie's value. */
  session?: SessionInfo & { token: string };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of one cookie in a Cookie header (RFC 6265 section 5.4), or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    let v = part.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    return v;
  }
  return undefined;
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * A browser's script (fetch or XHR: it sends Sec-Fetch-Mode, and the web app's requests carry the
 * session cookie) must not be offered Basic: the browser would answer the challenge with its own
 * password dialog instead of handing the 401 to the app, which shows its sign-in form. Bearer alone
 * still satisfies RFC 9110's challenge on a 401; other clients see both.
 */
const fromBrowserScript = (req?: FastifyRequest): boolean =>
  !!req &&
  (typeof req.headers['sec-fetch-mode'] === 'string' ||
    cookieValue(req.headers.cookie, SESSION_COOKIE) !== undefined);

export const unauthorized = (reply?: FastifyReply, req?: FastifyRequest): ParleyError => {
  reply?.header(
    'WWW-Authenticate',
    fromBrowserScript(req) ? CHALLENGES.filter((c) => !c.startsWith('Basic')) : CHALLENGES,
  );
  return new ParleyError(
    'auth.unauthorized',
    'authentication required: sign in, or send a Bearer API token (parley token create --role ROLE)',
    401,
  );
};

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by RequestAuth.require / allow: the authenticated caller. */
    caller?: Caller;
  }
}

export class RequestAuth {
  readonly principals: Principals;
  readonly sessions: Sessions;
  readonly tokens: Authenticator;

  constructor(database: Database, clock: Clock = systemClock) {
    this.principals = new Principals(database);
    this.tokens = new Authenticator(this.principals, clock);
    this.sessions = new Sessions(database, this.principals, clock);
  }

  /**
   * The caller, or undefined when the request carries no valid credential. Throws 403 `auth.csrf`
   * for a cookie-authenticated state-changing request without the right x-csrf-token.
   */
  async caller(req: FastifyRequest): Promise<Caller | undefined> {
    const header = req.headers.authorization;
    if (header) {
      const p = await this.tokens.authenticate(header);
      return p && { ...p, via: 'header' };
    }
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (!token) return undefined;
    const s = await this.sessions.lookup(token);
    if (!s) return undefined;
    if (!SAFE.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameText(sent, s.csrf))
        throw new ParleyError(
          'auth.csrf',
          `a signed-in request that changes something needs the session's CSRF token in the ${CSRF_HEADER} header`,
          403,
        );
    }
    return { id: `user:${s.user}`, role: s.role, via: 'session', session: { ...s, token } };
  }

  /** The caller, or a 401 with the WWW-Authenticate challenges. */
  async require(req: FastifyRequest, reply?: FastifyReply): Promise<Caller> {
    const c = await this.caller(req);
    if (!c) throw unauthorized(reply, req);
    req.caller = c;
    return c;
  }

  /** An onRequest hook: 401 without a credential, 403 when the role lacks `permission`. */
  allow(permission?: Permission) {
    return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const c = await this.require(req, reply);
      if (permission && !may(c.role, permission)) throw forbidden(c.role, permission);
    };
  }
}
