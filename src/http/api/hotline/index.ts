/**
 * The hotline API under /api/v1/hotline/ (docs/HOTLINE.md "API and CLI"): JSON in and out, Bearer
 * API tokens, HTTP Basic users or the web UI's session cookie (+ CSRF token), with the roles of guard.ts, errors as ParleyError JSON naming
 * the field, and the event stream.
 *
 *   httpPlugins: hotlinePlugin({ database: node.database, hotline: node.hotline, clock: node.clock })
 */
import { type Clock, systemClock } from '../../../core/index.js';
import type { Database } from '../../../store/index.js';
import { RequestAuth } from '../../auth/index.js';
import type { HttpPlugin } from '../../server.js';
import type { HotlineApi, RouteContext } from './context.js';
import { eventRoutes } from './events.js';
import { guard } from './guard.js';
import { messageRoutes } from './messages.js';
import { pingRoutes } from './pings.js';

export { checkBody, SENDABLE_KINDS } from './body.js';
export type { HotlineApi } from './context.js';
export { awaitsAction, replySubject } from './defaults.js';
export { EVENT_NAMES } from './events.js';
export { HOTLINE_ROLES, type HotlineAction } from './guard.js';

export interface HotlineApiDeps {
  database: Database;
  hotline: HotlineApi;
  clock?: Clock;
  /** Between heartbeat comments on the event stream; default 15 s. */
  heartbeatMs?: number;
}

export function hotlinePlugin(deps: HotlineApiDeps): HttpPlugin {
  return (app) => {
    const auth = new RequestAuth(deps.database, deps.clock ?? systemClock);
    const ctx: RouteContext = {
      app,
      hotline: deps.hotline,
      auth,
      allow: (action) => guard(auth, action),
    };
    messageRoutes(ctx);
    pingRoutes(ctx);
    eventRoutes(ctx, deps.heartbeatMs ?? 15_000);
  };
}
