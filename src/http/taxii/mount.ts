/**
 * What the composition root mounts: /openapi.json first (it records the routes registered after
 * it), then TAXII under /taxii2/, validating with the STIX core.
 *
 *   buildHttpServer(deps, [...taxiiPlugins({ database, store, maxPageSize: config.taxiiMaxPageSize })])
 */
import type { HttpPlugin } from '../server.js';
import { createTaxiiContext, type TaxiiContext, type TaxiiDeps } from './context.js';
import { openApiPlugin } from './openapi.js';
import { taxiiPlugin } from './plugin.js';
import { stixValidator } from './stix-validator.js';

export function taxiiPlugins(
  deps: Omit<TaxiiDeps, 'validate'> & Partial<Pick<TaxiiDeps, 'validate'>>,
): HttpPlugin[] & { context: TaxiiContext } {
  const context = createTaxiiContext({ ...deps, validate: deps.validate ?? stixValidator });
  return Object.assign([openApiPlugin(), taxiiPlugin(context)], { context });
}
