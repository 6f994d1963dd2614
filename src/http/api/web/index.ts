/**
 * The web UI's JSON API under /api/v1/ (docs/WEB-API.md): sessions (cookie + CSRF), the dashboard,
 * agreements, directory, peers, ledger, threat intel and compliance; and the browser app itself,
 * served from dist/web/ at `/`. Every route authenticates through RequestAuth: a session cookie
 * (with the CSRF token on writes), a Bearer API token or HTTP Basic.
 */
import { RequestAuth } from '../../auth/index.js';
import type { HttpPlugin } from '../../server.js';
import { agreementRoutes } from './agreements.js';
import { complianceRoutes } from './compliance.js';
import { dashboardRoutes } from './dashboard.js';
import type { WebContext, WebDeps } from './deps.js';
import { directoryRoutes } from './directory.js';
import { intelRoutes } from './intel.js';
import { ledgerRoutes } from './ledger.js';
import { peerRoutes } from './peers.js';
import { sessionRoutes } from './session.js';

export type { WebDeps } from './deps.js';
export { type StaticOptions, staticPlugin } from './static.js';

export function webApiPlugin(deps: WebDeps): HttpPlugin {
  return async (app) => {
    const ctx: WebContext = { ...deps, auth: new RequestAuth(deps.database, deps.clock) };
    sessionRoutes(ctx)(app);
    dashboardRoutes(ctx)(app);
    agreementRoutes(ctx)(app);
    directoryRoutes(ctx)(app);
    peerRoutes(ctx)(app);
    ledgerRoutes(ctx)(app);
    complianceRoutes(ctx)(app);
    // Its own content-type parser (the upload is streamed to disk): registered in a child context.
    await app.register(async (child) => intelRoutes(ctx)(child));
  };
}
