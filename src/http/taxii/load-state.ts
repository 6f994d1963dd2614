/**
 * Loads a TAXII server state in the layout of the OASIS reference server's data file (medallion's
 * `default_data.json`: `/discovery`, then one key per API root with `information`, `status` and
 * `collections` holding `objects` and `manifest`). Objects enter through the same validate+store
 * path as a POST, in the manifest's date_added order; the store then gives them fresh, strictly
 * increasing date_added values (the file's own values are not kept: two of them tie).
 */
import { readFile } from 'node:fs/promises';
import { invalid } from '../../core/index.js';
import type { TaxiiContext } from './context.js';
import { prepare, storeChunk } from './ingest.js';
import type { StatusDetail } from './status-store.js';

export interface LoadedState {
  roots: string[];
  collections: number;
  stored: number;
  failures: StatusDetail[];
  statuses: number;
}

interface FileCollection {
  id: string;
  title: string;
  description?: string;
  can_read?: boolean;
  can_write?: boolean;
  objects?: Record<string, unknown>[];
  manifest?: { id: string; version?: string; date_added?: string }[];
}

interface FileRoot {
  information?: { title?: string; description?: string; max_content_length?: number };
  status?: Record<string, unknown>[];
  collections?: FileCollection[];
}

/** Everyone loaded statuses may be read by: the file does not say who posted them. */
export const ANY_OWNER = '*';

/**
 * @param role the role given the file's can_read/can_write on each collection (default `member`).
 */
export async function loadTaxiiState(
  file: string,
  ctx: TaxiiContext,
  opts: { role?: string } = {},
): Promise<LoadedState> {
  const role = opts.role ?? 'member';
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw invalid('taxii.bad_state_file', `${file} is not a readable JSON file: ${(e as Error).message}`, {
      file,
    });
  }
  const discovery = (data['/discovery'] ?? {}) as {
    title?: string;
    description?: string;
    contact?: string;
    default?: string;
  };
  if (discovery.title) ctx.deps.title = discovery.title;
  if (discovery.description) ctx.deps.description = discovery.description;
  if (discovery.contact) ctx.deps.contact = discovery.contact;
  const out: LoadedState = { roots: [], collections: 0, stored: 0, failures: [], statuses: 0 };
  for (const [name, value] of Object.entries(data)) {
    if (name.startsWith('/')) continue;
    const r = value as FileRoot;
    await ctx.registry.addApiRoot({
      name,
      title: r.information?.title ?? name,
      ...(r.information?.description ? { description: r.information.description } : {}),
      ...(r.information?.max_content_length ? { maxContentLength: r.information.max_content_length } : {}),
      isDefault: discovery.default ? discovery.default.replace(/\/$/, '').endsWith(`/${name}`) : undefined,
    });
    out.roots.push(name);
    for (const c of r.collections ?? []) {
      const coll = await ctx.registry.addCollection(name, {
        id: c.id,
        alias: c.id,
        title: c.title,
        ...(c.description ? { description: c.description } : {}),
      });
      await ctx.registry.grant(coll.id, role, { canRead: !!c.can_read, canWrite: !!c.can_write });
      out.collections++;
      const prepared = prepare(inManifestOrder(c), ctx.deps.validate);
      out.failures.push(...prepared.failures);
      if (prepared.ready.length) {
        const res = await storeChunk(ctx.deps.store, coll.id, prepared.ready);
        out.stored += res.successes.length;
        out.failures.push(...res.failures);
        ctx.pages.invalidate(coll.id);
      }
    }
    for (const s of r.status ?? []) {
      const st = s as Record<string, unknown>;
      const list = (k: string) => (Array.isArray(st[k]) ? (st[k] as StatusDetail[]) : []);
      const successes = list('successes');
      const failures = list('failures');
      const pendings = list('pendings');
      await ctx.statuses.put(
        {
          id: String(st.id),
          apiRoot: name,
          owner: ANY_OWNER,
          status: st.status === 'complete' ? 'complete' : 'pending',
          request_timestamp: String(st.request_timestamp ?? new Date(ctx.clock.now()).toISOString()),
          // Counts are derived from the lists so that the resource is self-consistent (section 4.3.1).
          total_count: successes.length + failures.length + pendings.length,
          success_count: successes.length,
          successes,
          failure_count: failures.length,
          failures,
          pending_count: pendings.length,
          pendings,
        },
        Number.MAX_SAFE_INTEGER,
      );
      out.statuses++;
    }
  }
  return out;
}

function inManifestOrder(c: FileCollection): Record<string, unknown>[] {
  const objects = c.objects ?? [];
  const added = new Map<string, string>();
  for (const m of c.manifest ?? []) added.set(`${m.id}|${m.version ?? ''}`, m.date_added ?? '');
  const key = (o: Record<string, unknown>) =>
    added.get(`${o.id}|${(o.modified ?? o.created ?? '') as string}`) ?? '9999';
  return [...objects].sort((a, b) => key(a).localeCompare(key(b)));
}
