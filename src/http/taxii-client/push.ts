/**
 * Push: POST objects to a remote collection in envelopes that fit the API root's
 * max_content_length (section 4.2.1), then wait for each status to complete (section 4.3).
 */
import { invalid } from '../../core/index.js';
import type { TaxiiClient } from './client.js';
import type { StatusDetail } from './resources.js';

export interface PushResult {
  total: number;
  successes: number;
  failures: StatusDetail[];
  statuses: string[];
}

/** Objects from a STIX bundle, a TAXII envelope or a JSON array. */
export function objectsOf(doc: unknown, where: string): Record<string, unknown>[] {
  const list = Array.isArray(doc) ? doc : (doc as { objects?: unknown })?.objects;
  if (!Array.isArray(list))
    throw invalid(
      'taxii_client.bad_input',
      `${where} holds no "objects" list (a bundle, an envelope or an array)`,
    );
  return list as Record<string, unknown>[];
}

export async function pushObjects(
  client: TaxiiClient,
  rootUrl: string,
  collectionId: string,
  objects: Record<string, unknown>[],
  opts: { maxObjectsPerRequest?: number; onStatus?(done: number, total: number): void } = {},
): Promise<PushResult> {
  const root = await client.apiRoot(rootUrl);
  // Leave room for the envelope around the objects.
  const budget = root.max_content_length - 64;
  const maxCount = opts.maxObjectsPerRequest ?? 10_000;
  const out: PushResult = { total: objects.length, successes: 0, failures: [], statuses: [] };
  let batch: Record<string, unknown>[] = [];
  let bytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const first = await client.addObjects(rootUrl, collectionId, batch);
    const s = await client.waitForStatus(rootUrl, first);
    out.statuses.push(s.id);
    out.successes += s.success_count;
    out.failures.push(...s.failures);
    opts.onStatus?.(out.successes + out.failures.length, out.total);
    batch = [];
    bytes = 0;
  };
  for (const o of objects) {
    const size = Buffer.byteLength(JSON.stringify(o)) + 1;
    if (size > budget) {
      out.failures.push({
        id: String(o.id ?? ''),
        message: `larger than the server's max_content_length (${root.max_content_length})`,
      });
      continue;
    }
    if (bytes + size > budget || batch.length >= maxCount) await flush();
    batch.push(o);
    bytes += size;
  }
  await flush();
  return out;
}
