/**
 * POST/GET/DELETE /api/v1/session: signing in with a user's password sets the `parley_session`
 * cookie (HttpOnly, SameSite=Strict, Secure over https) and answers the session's CSRF token and the
 * role's permissions; GET answers the same for the caller; DELETE ends the session.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isParleyError } from '../../../core/index.js';
import {
  type Caller,
  permissionsOf,
  SESSION_COOKIE,
  SESSION_MAX_MS,
  type SessionInfo,
  SignInGuard,
} from '../../auth/index.js';
import { API, type WebContext } from './deps.js';

const SignIn = Type.Object(
  {
    user: Type.String({ minLength: 1, maxLength: 128 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const overHttps = (req: FastifyRequest): boolean =>
  req.protocol === 'https' ||
  String(req.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]
    ?.trim()
    .toLowerCase() === 'https';

function setCookie(req: FastifyRequest, reply: FastifyReply, value: string, maxAgeS: number): void {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeS}`];
  if (overHttps(req)) parts.push('Secure');
  reply.header('set-cookie', parts.join('; '));
}

export function sessionRoutes(ctx: WebContext): (app: import('fastify').FastifyInstance) => void {
  const { auth, self } = ctx;
  const guard = new SignInGuard(ctx.clock);
  const body = (user: string, role: string, s: Pick<SessionInfo, 'csrf' | 'expires'> | null) => ({
    user,
    roles: [role],
    csrf: s?.csrf ?? null,
    expires: s?.expires ?? null,
    can: permissionsOf(role),
    node: self,
  });
  const describe = (c: Caller) =>
    c.session ? body(c.session.user, c.role, c.session) : body(c.id, c.role, null);

  return (app) => {
    app.post<{ Body: { user: string; password: string } }>(
      `${API}/session`,
      {
        schema: {
          summary: 'sign in: sets the session cookie, answers the CSRF token',
          tags: ['web'],
          body: SignIn,
        },
      },
      async (req, reply) => {
        const { user, password } = req.body;
        try {
          guard.check(user, req.ip);
        } catch (e) {
          if (isParleyError(e)) reply.header('retry-after', String(e.details.retryAfter));
          throw e;
        }
        let signedIn: Awaited<ReturnType<typeof auth.sessions.signIn>>;
        try {
          signedIn = await auth.sessions.signIn(user, password);
        } catch (e) {
          if (isParleyError(e) && e.status === 401) guard.failed(user, req.ip);
          throw e;
        }
        guard.succeeded(user);
        const { token, session } = signedIn;
        setCookie(req, reply, token, SESSION_MAX_MS / 1000);
        reply.header('cache-control', 'no-store');
        return body(session.user, session.role, session);
      },
    );

    app.get(
      `${API}/session`,
      { schema: { summary: 'who is signed in', tags: ['web'] } },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return describe(await auth.require(req, reply));
      },
    );

    app.delete(`${API}/session`, { schema: { summary: 'sign out', tags: ['web'] } }, async (req, reply) => {
      const c = await auth.require(req, reply);
      if (c.session) await auth.sessions.signOut(c.session.token);
      setCookie(req, reply, '', 0);
      return reply.status(204).send();
    });
  };
}
