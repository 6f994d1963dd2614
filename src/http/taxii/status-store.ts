/**
 * Status resources (TAXII 2.1 section 4.3): what became of each object of a POST. Kept at least
 * STATUS_TTL_MS (the spec asks for 24 hours); expired rows are purged when new ones are written.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/index.js';
import type { Database } from '../../store/index.js';

export const STATUS_TTL_MS = 24 * 60 * 60 * 1000;
/** A status pending this long after its request was abandoned by a stopped process. */
export const ABANDONED_MS = 60 * 60 * 1000;

export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

export interface StatusResource {
  id: string;
  status: 'pending' | 'complete';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes: StatusDetail[];
  failure_count: number;
  failures: StatusDetail[];
  pending_count: number;
  pendings: StatusDetail[];
}

export interface StoredStatus extends StatusResource {
  apiRoot: string;
  owner: string;
}

export class StatusStore {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {}

  async create(
    apiRoot: string,
    owner: string,
    failures: StatusDetail[],
    pendings: StatusDetail[],
  ): Promise<StoredStatus> {
    const now = this.clock.now();
    const s: StoredStatus = {
      id: randomUUID(),
      apiRoot,
      owner,
      status: pendings.length ? 'pending' : 'complete',
      request_timestamp: new Date(now).toISOString(),
      total_count: failures.length + pendings.length,
      success_count: 0,
      successes: [],
      failure_count: failures.length,
      failures,
      pending_count: pendings.length,
      pendings,
    };
    const db = this.database.db;
    await db.deleteFrom('taxii_status').where('expires_ms', '<', now).execute();
    await this.failAbandoned(now);
    await db
      .insertInto('taxii_status')
      .values({
        id: s.id,
        api_root: apiRoot,
        owner,
        status: s.status,
        request_timestamp: s.request_timestamp,
        total_count: s.total_count,
        success_count: 0,
        failure_count: s.failure_count,
        pending_count: s.pending_count,
        successes: '[]',
        failures: JSON.stringify(failures),
        pendings: JSON.stringify(pendings),
        expires_ms: now + STATUS_TTL_MS,
      })
      .execute();
    return s;
  }

  /**
   * A status still pending long after its request belongs to a process that stopped mid-way (a
   * chunk takes seconds): its pendings become failures, so clients polling it stop waiting.
   */
  async failAbandoned(now = this.clock.now()): Promise<number> {
    const cutoff = new Date(now - ABANDONED_MS).toISOString();
    const rows = await this.database.db
      .selectFrom('taxii_status')
      .select(['id', 'api_root'])
      .where('status', '=', 'pending')
      .where('owner', '!=', '*')
      .where('request_timestamp', '<', cutoff)
      .execute();
    for (const r of rows) {
      const s = await this.get(r.api_root, r.id);
      if (!s) continue;
      const message = 'the server stopped before storing this object; post it again';
      s.failures.push(...s.pendings.map((p) => ({ ...p, message })));
      s.pendings = [];
      await this.save(s);
    }
    return rows.length;
  }

  /** Writes the status after a chunk: the caller holds the whole resource and passes it back. */
  async save(s: StoredStatus): Promise<void> {
    s.success_count = s.successes.length;
    s.failure_count = s.failures.length;
    s.pending_count = s.pendings.length;
    s.status = s.pending_count ? 'pending' : 'complete';
    await this.database.db
      .updateTable('taxii_status')
      .set({
        status: s.status,
        success_count: s.success_count,
        failure_count: s.failure_count,
        pending_count: s.pending_count,
        successes: JSON.stringify(s.successes),
        failures: JSON.stringify(s.failures),
        pendings: JSON.stringify(s.pendings),
      })
      .where('id', '=', s.id)
      .execute();
  }

  async get(apiRoot: string, id: string): Promise<StoredStatus | undefined> {
    const r = await this.database.db
      .selectFrom('taxii_status')
      .selectAll()
      .where('id', '=', id)
      .where('api_root', '=', apiRoot)
      .where('expires_ms', '>=', this.clock.now())
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      apiRoot: r.api_root,
      owner: r.owner,
      status: r.status as StatusResource['status'],
      request_timestamp: r.request_timestamp,
      total_count: r.total_count,
      success_count: r.success_count,
      successes: JSON.parse(r.successes),
      failure_count: r.failure_count,
      failures: JSON.parse(r.failures),
      pending_count: r.pending_count,
      pendings: JSON.parse(r.pendings),
    };
  }

  /** Inserts a status as given (the reference state loader). */
  async put(s: StoredStatus, expiresMs: number): Promise<void> {
    await this.database.db
      .insertInto('taxii_status')
      .values({
        id: s.id,
        api_root: s.apiRoot,
        owner: s.owner,
        status: s.status,
        request_timestamp: s.request_timestamp,
        total_count: s.total_count,
        success_count: s.success_count,
        failure_count: s.failure_count,
        pending_count: s.pending_count,
        successes: JSON.stringify(s.successes),
        failures: JSON.stringify(s.failures),
        pendings: JSON.stringify(s.pendings),
        expires_ms: expiresMs,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** The resource as the wire shows it: empty detail lists are left out (section 4.3.1 marks them optional). */
export function statusBody(s: StatusResource): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: s.id,
    status: s.status,
    request_timestamp: s.request_timestamp,
    total_count: s.total_count,
    success_count: s.success_count,
    failure_count: s.failure_count,
    pending_count: s.pending_count,
  };
  if (s.successes.length) out.successes = s.successes;
  if (s.failures.length) out.failures = s.failures;
  if (s.pendings.length) out.pendings = s.pendings;
  return out;
}
