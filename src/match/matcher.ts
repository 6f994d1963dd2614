/**
 * The index kept in step with the store. Per collection it remembers the highest date_added read
 * (microseconds, strictly increasing in the store), and `refresh()` reads only the latest indicator
 * versions added since, so ingest, TAXII sync and revocation reach lookups incrementally; opening
 * with empty cursors is the rebuild at start. Deleting a version from the store (rare, an operator's
 * act) is not seen by a refresh: `rebuild()` then.
 */
import { type Clock, systemClock } from '../core/index.js';
import type { StixStore } from '../store/index.js';
import type { IndicatorEntry } from './indicator-entry.js';
import { type ApplyOutcome, type IndexStats, IndicatorIndex } from './indicator-index.js';
import { type Observable, parseObservable } from './observable.js';

export interface MatcherOptions {
  clock?: Clock;
  /** Rows per store page while refreshing (default 2,000). */
  pageSize?: number;
}

export interface RefreshResult {
  /** Indicator versions read. */
  read: number;
  added: number;
  replaced: number;
  removed: number;
}

/** One indicator a value matched, as lookups answer it. */
export interface LookupMatch {
  id: string;
  name?: string;
  pattern: string;
  /** TLP 2.0 level from object_marking_refs, when marked. */
  tlp?: string;
  /** created_by_ref, else `collection:<alias>` (where it came from). */
  origin: string;
  createdBy?: string;
  /** Alias of the collection the indicator was read from. */
  collection: string;
  confidence?: number;
  validFrom: string;
  validUntil?: string;
  modified: string;
}

export interface LookupResult {
  value: string;
  /** The observable type the value was taken for (`hash` carries its algorithm). */
  type: string;
  algorithm?: string;
  /** The normalised value looked up. */
  normalised: string;
  matches: LookupMatch[];
}

export function toMatch(e: IndicatorEntry): LookupMatch {
  return {
    id: e.id,
    ...(e.name !== undefined && { name: e.name }),
    pattern: e.pattern,
    ...(e.tlp !== undefined && { tlp: e.tlp }),
    origin: e.createdBy ?? `collection:${e.collection}`,
    ...(e.createdBy !== undefined && { createdBy: e.createdBy }),
    collection: e.collection,
    ...(e.confidence !== undefined && { confidence: e.confidence }),
    validFrom: e.validFrom,
    ...(e.validUntil !== undefined && { validUntil: e.validUntil }),
    modified: e.modified,
  };
}

export class Matcher {
  index = new IndicatorIndex();
  private readonly cursors = new Map<string, bigint>();
  private readonly clock: Clock;
  private readonly pageSize: number;
  private current: Promise<unknown> = Promise.resolve();
  private queued: Promise<RefreshResult> | undefined;

  constructor(
    private readonly store: StixStore,
    opts: MatcherOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.pageSize = opts.pageSize ?? 2000;
  }

  /** A matcher built from everything in the store. */
  static async open(store: StixStore, opts: MatcherOptions = {}): Promise<Matcher> {
    const m = new Matcher(store, opts);
    await m.refresh();
    return m;
  }

  get stats(): IndexStats {
    return this.index.stats;
  }

  /**
   * Reads what was added since the last refresh. Calls made while one runs share the next run, so
   * a caller always sees every write committed before it called.
   */
  refresh(): Promise<RefreshResult> {
    if (this.queued) return this.queued;
    const next = this.current.then(() => {
      this.queued = undefined;
      return this.pull();
    });
    this.queued = next;
    this.current = next.catch(() => undefined);
    return next;
  }

  /** Forgets everything and reads the store again (after versions were deleted from it). */
  async rebuild(): Promise<RefreshResult> {
    await this.current;
    this.index = new IndicatorIndex();
    this.cursors.clear();
    return this.refresh();
  }

  /** Looks up typed observables against the index as it stands (call refresh() first to catch up). */
  lookupObservables(observables: readonly Observable[]): LookupResult[] {
    const hits = this.index.lookupMany(observables, this.clock.now());
    return observables.map((o, i) => ({
      value: o.input,
      type: o.kind,
      ...(o.algorithm !== undefined && { algorithm: o.algorithm }),
      normalised: o.value,
      matches: hits[i]!.map(toMatch),
    }));
  }

  /** Types each value (see parseObservable) and looks it up. */
  lookup(values: readonly string[]): LookupResult[] {
    return this.lookupObservables(values.map(parseObservable));
  }

  private async pull(): Promise<RefreshResult> {
    const r: RefreshResult = { read: 0, added: 0, replaced: 0, removed: 0 };
    const count = (o: ApplyOutcome) => {
      if (o !== 'ignored') r[o]++;
    };
    for (const c of await this.store.listCollections()) {
      const after = this.cursors.get(c.id);
      // Only latest versions: an older version added late, or one superseded before we read it,
      // has nothing to file; a revoked version is always the latest (revocation is final).
      for await (const row of this.store.stream({
        collectionId: c.id,
        addedAfterUs: after,
        types: ['indicator'],
        versions: { kind: 'last' },
        pageSize: this.pageSize,
      })) {
        r.read++;
        count(this.index.apply(JSON.parse(row.json) as Record<string, unknown>, c.alias));
        this.cursors.set(c.id, row.dateAddedUs);
      }
    }
    return r;
  }
}
