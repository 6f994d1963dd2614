/** A URL given by a person may be a discovery URL or an API root URL; find the API root. */
import { invalid } from '../../core/index.js';
import { join, type TaxiiClient } from './client.js';

export async function resolveApiRoot(client: TaxiiClient, url: string): Promise<string> {
  const u = join(url);
  const { json } = await client.request('GET', u);
  const o = (json ?? {}) as Record<string, unknown>;
  if (Array.isArray(o.versions) && typeof o.max_content_length === 'number') return u;
  if (Array.isArray(o.api_roots) || typeof o.default === 'string') {
    const roots = (o.api_roots ?? []) as string[];
    const chosen = typeof o.default === 'string' ? o.default : roots.length === 1 ? roots[0] : undefined;
    if (!chosen) {
      throw invalid(
        'taxii_client.which_root',
        `${u} is a discovery URL with several API roots and no default; give one of: ${roots.join(', ')}`,
      );
    }
    return join(new URL(chosen, u).toString());
  }
  throw invalid('taxii_client.not_taxii', `${u} is neither a TAXII discovery nor an API root resource`);
}
