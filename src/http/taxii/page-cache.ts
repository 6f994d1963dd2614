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

/** Bounds on what the cache holds: pages of 1,000 objects weigh ~300 KB each. */
const MAX_ENTRIES = 2000;
const MAX_CHARS = 32 * 1024 * 1024;

export class PageCache {
  private readonly pages = new Map<string, Entry>();
  private readonly gens = new Map<string, number>();
  private chars = 0;

  constructor(
    private readonly clock: Clock,
    readonly ttlMs: number,
  ) {}

  get(collectionId: string, key: string): CachedPage | undefined {
    if (this.ttlMs <= 0) return undefined;
    const e = this.pages.get(key);
    if (!e) return undefined;
    if (e.until <= this.clock.now() || e.gen !== (this.gens.get(collectionId) ?? 0)) {
      this.drop(key, e);
      return undefined;
    }
    return e;
  }

  private drop(key: string, e: Entry): void {
    this.pages.delete(key);
    this.chars -= e.body.length;
  }

  put(collectionId: string, key: string, page: CachedPage): void {
    if (this.ttlMs <= 0 || page.body.length > MAX_CHARS / 4) return;
    const old = this.pages.get(key);
    if (old) this.drop(key, old);
    // Oldest first (a Map keeps insertion order): expired and least recent pages go first.
    for (const [k, e] of this.pages) {
      if (this.pages.size < MAX_ENTRIES && this.chars + page.body.length <= MAX_CHARS) break;
      this.drop(k, e);
    }
    this.pages.set(key, {
      ...page,
      until: this.clock.now() + this.ttlMs,
      gen: this.gens.get(collectionId) ?? 0,
    });
    this.chars += page.body.length;
  }

  /** Characters held, for tests and metrics. */
  get size(): { pages: number; chars: number } {
    return { pages: this.pages.size, chars: this.chars };
  }

  /** Called after any write to the collection through this process. */
  invalidate(collectionId: string): void {
    this.gens.set(collectionId, (this.gens.get(collectionId) ?? 0) + 1);
  }
}
