/**
 * API roots (TAXII 2.1 section 4.2), the collections each serves, and who may read or write them
 * (section 5.2 can_read / can_write, by role). Every request needs this, so it is read as one
 * snapshot and kept for a short while; writes through this class refresh it at once, writes by other
 * processes (PostgreSQL) are seen within SNAPSHOT_MS.
 */
import { type Clock, conflict, invalid, notFound, systemClock } from '../../core/index.js';
import type { Collection, Database, NewCollection, StixStore } from '../../store/index.js';
import { ADMIN_ROLE, checkRole, type Principal } from '../auth/index.js';

const SNAPSHOT_MS = 2000;
export const DEFAULT_MAX_CONTENT_LENGTH = 100 * 1024 * 1024;

export interface ApiRoot {
  name: string;
  title: string;
  description?: string;
  maxContentLength: number;
  isDefault: boolean;
}

export interface Access {
  canRead: boolean;
  canWrite: boolean;
}

interface Snapshot {
  at: number;
  roots: ApiRoot[];
  collections: Map<string, Collection[]>;
  perms: Map<string, Access>;
}

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export class TaxiiRegistry {
  private snap?: Promise<Snapshot>;

  constructor(
    private readonly database: Database,
    readonly store: StixStore,
    private readonly clock: Clock = systemClock,
  ) {}

  invalidate(): void {
    this.snap = undefined;
  }

  private async snapshot(): Promise<Snapshot> {
    const cur = this.snap;
    if (cur) {
      const s = await cur;
      if (this.clock.now() - s.at < SNAPSHOT_MS) return s;
      if (this.snap !== cur) return this.snapshot();
    }
    const next = this.load();
    this.snap = next;
    next.catch(() => {
      if (this.snap === next) this.snap = undefined;
    });
    return next;
  }

  private async load(): Promise<Snapshot> {
    const db = this.database.db;
    const [roots, links, perms, all] = await Promise.all([
      db.selectFrom('taxii_api_roots').selectAll().orderBy('created').orderBy('name').execute(),
      db.selectFrom('taxii_root_collections').selectAll().execute(),
      db.selectFrom('taxii_permissions').selectAll().execute(),
      this.store.listCollections(),
    ]);
    const byId = new Map(all.map((c) => [c.id, c]));
    const collections = new Map<string, Collection[]>();
    for (const l of links) {
      const c = byId.get(l.collection_id);
      if (!c) continue;
      const list = collections.get(l.api_root) ?? [];
      list.push(c);
      collections.set(l.api_root, list);
    }
    for (const list of collections.values())
      list.sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
    return {
      at: this.clock.now(),
      roots: roots.map((r) => ({
        name: r.name,
        title: r.title,
        ...(r.description ? { description: r.description } : {}),
        maxContentLength: Number(r.max_content_length),
        isDefault: r.is_default === 1,
      })),
      collections,
      perms: new Map(
        perms.map((p) => [
          `${p.collection_id}\u0000${p.role}`,
          { canRead: p.can_read === 1, canWrite: p.can_write === 1 },
        ]),
      ),
    };
  }

  async apiRoots(): Promise<ApiRoot[]> {
    return (await this.snapshot()).roots;
  }

  async apiRoot(name: string): Promise<ApiRoot | undefined> {
    return (await this.snapshot()).roots.find((r) => r.name === name);
  }

  async collectionsOf(root: string): Promise<Collection[]> {
    return (await this.snapshot()).collections.get(root) ?? [];
  }

  /** A collection of the root by id (or alias, for the CLI). */
  async collection(root: string, idOrAlias: string): Promise<Collection | undefined> {
    return (await this.collectionsOf(root)).find((c) => c.id === idOrAlias || c.alias === idOrAlias);
  }

  async access(p: Principal, collectionId: string): Promise<Access> {
    if (p.role === ADMIN_ROLE) return { canRead: true, canWrite: true };
    return (
      (await this.snapshot()).perms.get(`${collectionId}\u0000${p.role}`) ?? {
        canRead: false,
        canWrite: false,
      }
    );
  }

  // ---- administration (CLI, state loader, tests) ----

  async addApiRoot(r: {
    name: string;
    title: string;
    description?: string;
    maxContentLength?: number;
    isDefault?: boolean;
  }): Promise<ApiRoot> {
    if (!NAME_RE.test(r.name)) {
      throw invalid('taxii.bad_root_name', `API root name must match ${NAME_RE.source}, got "${r.name}"`, {
        name: r.name,
      });
    }
    const db = this.database.db;
    if (await db.selectFrom('taxii_api_roots').select('name').where('name', '=', r.name).executeTakeFirst()) {
      throw conflict('taxii.root_exists', `API root "${r.name}" already exists`, { name: r.name });
    }
    const hasDefault = await db
      .selectFrom('taxii_api_roots')
      .select('name')
      .where('is_default', '=', 1)
      .executeTakeFirst();
    const isDefault = r.isDefault ?? !hasDefault;
    await this.database.transaction(async (tx) => {
      if (isDefault) await tx.updateTable('taxii_api_roots').set({ is_default: 0 }).execute();
      await tx
        .insertInto('taxii_api_roots')
        .values({
          name: r.name,
          title: r.title,
          description: r.description ?? null,
          max_content_length: r.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH,
          is_default: isDefault ? 1 : 0,
          created: new Date(this.clock.now()).toISOString(),
        })
        .execute();
    });
    this.invalidate();
    return (await this.apiRoot(r.name)) as ApiRoot;
  }

  /** Creates a store collection (or reuses one with that id or alias) and serves it under the root. */
  async addCollection(root: string, c: NewCollection): Promise<Collection> {
    if (!(await this.apiRoot(root))) throw notFound('taxii.no_such_root', `no API root "${root}"`, { root });
    const existing =
      (c.id ? await this.store.getCollection(c.id) : undefined) ?? (await this.store.getCollection(c.alias));
    const coll = existing ?? (await this.store.createCollection(c));
    await this.database.db
      .insertInto('taxii_root_collections')
      .values({ api_root: root, collection_id: coll.id })
      .onConflict((oc) => oc.doNothing())
      .execute();
    this.invalidate();
    return coll;
  }

  /** Sets what a role may do on a collection (by id or alias). */
  async grant(collection: string, role: string, access: Access): Promise<void> {
    checkRole(role);
    const coll = await this.store.getCollection(collection);
    if (!coll) throw notFound('taxii.no_such_collection', `no collection "${collection}"`, { collection });
    const row = { can_read: access.canRead ? 1 : 0, can_write: access.canWrite ? 1 : 0 };
    await this.database.db
      .insertInto('taxii_permissions')
      .values({ collection_id: coll.id, role, ...row })
      .onConflict((oc) => oc.columns(['collection_id', 'role']).doUpdateSet(row))
      .execute();
    this.invalidate();
  }
}
