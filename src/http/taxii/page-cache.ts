/**
 * A short-lived cache of serialised pages (objects and manifest), so that many clients polling the
 * same page cost one database read. A page is served from here only while it is younger than
 * `ttlMs` and its collection has not been written through this process since it was cached; writes
 * by other processes (another `parley serve` on PostgreSQL, `parley ingest`) become visible within
 * `ttlMs`. Staleness never makes a client miss an object: date_added only grows, and a client that
 * resumes from X-TAXII-Date-Added-Last picks up what a stale page did not yet show.
 */
import type { Clock } from '../../core/index.js';

export interface CachedPage {
  body: string;
  first?: string;
  last?: string;
}

interface Entry extends CachedPage {
  until: number;
  gen: number;
}

const MAX_ENTRIES = 2000;

export class PageCache {
  private readonly pages = new Map<string, Entry>();
  private readonly gens = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    readonly ttlMs: number,
  ) {}

  get(collectionId: string, key: string): CachedPage | undefined {
    if (this.ttlMs <= 0) return undefined;
    const e = this.pages.get(key);
    if (!e) return undefined;
    if (e.until <= this.clock.now() || e.gen !== (this.gens.get(collectionId) ?? 0)) {
      this.pages.delete(key);
      return undefined;
    }
    return e;
  }

  put(collectionId: string, key: string, page: CachedPage): void {
    if (this.ttlMs <= 0) return;
    if (this.pages.size >= MAX_ENTRIES) this.pages.delete(this.pages.keys().next().value as string);
    this.pages.set(key, {
      ...page,
      until: this.clock.now() + this.ttlMs,
      gen: this.gens.get(collectionId) ?? 0,
    });
  }

  /** Called after any write to the collection through this process. */
  invalidate(collectionId: string): void {
    this.gens.set(collectionId, (this.gens.get(collectionId) ?? 0) + 1);
  }
}
