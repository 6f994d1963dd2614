/**
 * The in-memory index of indicators: exact values (hashes, domains, URLs, e-mail addresses, names,
 * registry keys...) in one ExactTable keyed by (object type NUL property, value), CIDR blocks in a
 * PrefixIndex per (object type, property), and the patterns no key can stand for, which the
 * evaluator runs on every lookup. It holds the latest version of each indicator per collection;
 * validity windows are checked at lookup time, so expiry needs no update.
 */
import { compareTimestamps } from '../stix/index.js';
import { matchPattern, type Observation, type Sco } from '../stix/pattern/index.js';
import { ExactTable } from './exact-table.js';
import { type CompiledIndicator, compileIndicator, type IndicatorEntry } from './indicator-entry.js';
import type { Bucket } from './multimap.js';
import type { Observable, Probe } from './observable.js';
import { PrefixIndex } from './prefix-index.js';

/** What replaced an indicator that is no longer filed: a revocation or a version that is no STIX pattern. */
interface Tombstone {
  readonly tomb: true;
  readonly modified: string;
  readonly revoked: boolean;
}

type Slot = IndicatorEntry | Tombstone;

export type ApplyOutcome = 'added' | 'replaced' | 'removed' | 'ignored';

export interface IndexStats {
  indicators: number;
  exactKeys: number;
  ranges: number;
  residual: number;
}

/** What a lookup that matched nothing answers: shared, frozen, so that a miss allocates nothing. */
const NONE: readonly IndicatorEntry[] = Object.freeze([]);

/** Observables per stage of lookupMany: its scratch arrays stay small enough to sit in cache. */
const CHUNK = 1024;

const isTomb = (s: Slot): s is Tombstone => (s as Tombstone).tomb === true;

export class IndicatorIndex {
  private readonly exact = new ExactTable<IndicatorEntry>();
  private readonly ranges = new Map<string, PrefixIndex<IndicatorEntry>>();
  private readonly residual = new Set<IndicatorEntry>();
  /** collection -> id -> what the latest version left. */
  private readonly slots = new Map<string, Map<string, Slot>>();
  private readonly strings = new Map<string, string>();
  private entries = 0;

  get stats(): IndexStats {
    let ranges = 0;
    for (const r of this.ranges.values()) ranges += r.size;
    return { indicators: this.entries, exactKeys: this.exact.size, ranges, residual: this.residual.size };
  }

  /**
   * Applies one stored indicator version read from `collection`: a later version replaces the
   * filed one, a revoked version removes it for good, an earlier or equal version changes nothing.
   */
  apply(obj: Record<string, unknown>, collection: string): ApplyOutcome {
    if (obj.type !== 'indicator' || typeof obj.id !== 'string') return 'ignored';
    let byId = this.slots.get(collection);
    if (!byId) {
      byId = new Map();
      this.slots.set(collection, byId);
    }
    const modified = typeof obj.modified === 'string' ? obj.modified : '';
    const prior = byId.get(obj.id);
    if (prior) {
      if (isTomb(prior) && prior.revoked) return 'ignored';
      if (compareTimestamps(modified, prior.modified) <= 0) return 'ignored';
      if (!isTomb(prior)) this.unfile(prior);
    }
    const compiled = obj.revoked === true ? null : compileIndicator(obj, collection, this.intern);
    if (!compiled) {
      byId.set(obj.id, { tomb: true, modified, revoked: obj.revoked === true });
      return prior && !isTomb(prior) ? 'removed' : 'ignored';
    }
    this.file(compiled);
    byId.set(obj.id, compiled.entry);
    return prior && !isTomb(prior) ? 'replaced' : 'added';
  }

  /** The filed entry of an indicator, if any. */
  get(collection: string, id: string): IndicatorEntry | undefined {
    const s = this.slots.get(collection)?.get(id);
    return s && !isTomb(s) ? s : undefined;
  }

  /**
   * The indicators in force at `nowMs` whose pattern matches `observable` (one observation holding
   * its SCOs, observed at `nowMs`). A hit on a fully covered pattern is the answer; other hits and
   * the residual patterns are confirmed by the evaluator. A lookup that matches nothing allocates
   * nothing: the answer is then a shared frozen empty array.
   */
  lookup(observable: Observable, nowMs: number): readonly IndicatorEntry[] {
    this.qNow = nowMs;
    this.qObservable = observable;
    const probes = observable.probes;
    for (let i = 0; i < probes.length; i++) {
      const p = probes[i]!;
      const b = this.exact.get(p.field, p.value, p.hash);
      if (b !== undefined) {
        if (Array.isArray(b)) for (let j = 0; j < b.length; j++) this.consider(b[j]!);
        else this.consider(b);
      }
      if (p.block !== undefined) this.ranges.get(p.field)?.containing(p.block, this.considerFn);
    }
    return this.finish();
  }

  /** The residual patterns, then the answer of the lookup under way; clears it. */
  private finish(): readonly IndicatorEntry[] {
    if (this.residual.size > 0) for (const e of this.residual) this.consider(e);
    const hits = this.qHits ?? NONE;
    this.qHits = undefined;
    this.qSeen = undefined;
    this.qObservation = undefined;
    this.qObservable = undefined;
    return hits;
  }

  /**
   * lookup() for many observables at once, with the same answers, in stages over chunks of
   * observables: their probe lists, the probes, every probe's table slot (and an address's root
   * entry in its CIDR table), every candidate's key, then each observable's answer. Each stage is a
   * tight loop whose iterations do not depend on one another. The observables, their probes and a
   * million-key table are far larger than the processor's caches (and its TLB), so each of those
   * reads is a miss; in one lookup they wait one after another, across a stage they overlap. The
   * matcher and the lookup API answer batches through this.
   */
  lookupMany(observables: readonly Observable[], nowMs: number): (readonly IndicatorEntry[])[] {
    const out: (readonly IndicatorEntry[])[] = new Array(observables.length);
    const lists = this.mLists;
    const probes = this.mProbes;
    const buckets = this.mBuckets;
    const hasRanges = this.ranges.size > 0;
    for (let first = 0; first < observables.length; first += CHUNK) {
      const end = Math.min(observables.length, first + CHUNK);
      // Stage 1: each observable's probe list (one object read each).
      for (let k = first; k < end; k++) lists[k - first] = observables[k]!.probes;
      // Stage 2: the probes, flat (one array read each).
      let n = 0;
      for (let j = 0; j < end - first; j++) {
        const ps = lists[j]!;
        for (let i = 0; i < ps.length; i++) probes[n++] = ps[i]!;
      }
      if (this.mCand.length < n) {
        this.mCand = new Int32Array(2 * n);
        this.mWarm = new Int32Array(2 * n);
      }
      const cand = this.mCand;
      // Stage 3: each probe's slot in the exact table; an address's root entry in its CIDR table.
      for (let i = 0; i < n; i++) cand[i] = this.exact.candidate(probes[i]!.hash);
      if (hasRanges) {
        const warm = this.mWarm;
        for (let i = 0; i < n; i++) {
          const p = probes[i]!;
          if (p.block !== undefined) warm[i] = this.rangesOf(p.field)?.warm(p.block) ?? 0;
        }
      }
      // Stage 4: confirm each candidate against its stored key.
      for (let i = 0; i < n; i++) {
        const p = probes[i]!;
        const b = this.exact.confirm(cand[i]!, p.field, p.value, p.hash);
        // A single entry not in force is dropped here, as consider() would: reading it now also
        // brings it into cache for stage 5.
        buckets[i] =
          b !== undefined && !Array.isArray(b) && (nowMs < b.validFromMs || nowMs >= b.validUntilMs)
            ? undefined
            : b;
      }
      // Stage 5: each observable's answer, as lookup() gives it.
      let at = 0;
      for (let k = first; k < end; k++) {
        this.qNow = nowMs;
        this.qObservable = observables[k]!;
        const count = lists[k - first]!.length;
        for (let i = 0; i < count; i++, at++) {
          const b = buckets[at];
          if (b !== undefined) {
            if (Array.isArray(b)) for (let j = 0; j < b.length; j++) this.consider(b[j]!);
            else this.consider(b);
          }
          const p = probes[at]!;
          if (p.block !== undefined) this.rangesOf(p.field)?.containing(p.block, this.considerFn);
        }
        out[k] = this.finish();
      }
      buckets.fill(undefined, 0, n);
      probes.fill(undefined, 0, n);
      lists.fill(undefined, 0, end - first);
    }
    return out;
  }

  /** The CIDR table of a field; the last one asked for is kept, as a batch asks for few fields. */
  private rangesOf(field: string): PrefixIndex<IndicatorEntry> | undefined {
    if (field === this.lastField) return this.lastRanges;
    this.lastField = field;
    this.lastRanges = this.ranges.get(field);
    return this.lastRanges;
  }

  private lastField: string | undefined;
  private lastRanges: PrefixIndex<IndicatorEntry> | undefined;
  private readonly mLists: (readonly Probe[] | undefined)[] = new Array(CHUNK);
  private readonly mProbes: (Probe | undefined)[] = [];
  private mCand = new Int32Array(2 * CHUNK);
  private mWarm = new Int32Array(2 * CHUNK);
  private readonly mBuckets: (Bucket<IndicatorEntry> | undefined)[] = [];

  // The lookup under way (single-threaded, not re-entrant), in fields rather than an object or a
  // closure per lookup.
  private qNow = 0;
  private qObservable: Observable | undefined;
  private qHits: IndicatorEntry[] | undefined;
  private qSeen: Set<IndicatorEntry> | undefined;
  private qObservation: Observation[] | undefined;
  private readonly considerFn = (e: IndicatorEntry) => this.consider(e);

  private consider(e: IndicatorEntry): void {
    const now = this.qNow;
    if (now < e.validFromMs || now >= e.validUntilMs) return;
    const hits = this.qHits;
    if (hits !== undefined) {
      // Few hits per value: a linear scan beats a Set, until it does not.
      if (hits.length > 16) {
        this.qSeen ??= new Set(hits);
        if (this.qSeen.has(e)) return;
      } else if (hits.includes(e)) return;
    }
    if (!e.covered) {
      this.qObservation ??= observationOf(this.qObservable!.scos, now);
      if (!matchPattern(e.ast!, this.qObservation).matched) return;
    }
    if (hits === undefined) {
      this.qHits = [e];
      return;
    }
    hits.push(e);
    this.qSeen?.add(e);
  }

  private readonly intern = (s: string): string => {
    const v = this.strings.get(s);
    if (v !== undefined) return v;
    this.strings.set(s, s);
    return s;
  };

  private file(c: CompiledIndicator): void {
    this.entries++;
    for (const k of c.exact) this.exact.add(k.field, k.value, c.entry);
    for (const r of c.ranges) {
      let p = this.ranges.get(r.field);
      if (!p) {
        p = new PrefixIndex();
        this.ranges.set(r.field, p);
        this.lastField = undefined; // rangesOf may have kept its absence
      }
      p.add(r.block, c.entry);
    }
    if (c.residual) this.residual.add(c.entry);
  }

  /** Removes an entry's keys, derived again from its pattern (cheaper than keeping them). */
  private unfile(e: IndicatorEntry): void {
    this.entries--;
    const c = compileIndicator(
      { type: 'indicator', pattern_type: 'stix', pattern: e.pattern, id: e.id },
      e.collection,
    );
    if (!c) return;
    for (const k of c.exact) this.exact.remove(k.field, k.value, e);
    for (const r of c.ranges) this.ranges.get(r.field)?.remove(r.block, e);
    this.residual.delete(e);
  }
}

/** One observation, seen once at `nowMs`, holding the looked-up SCOs. */
export function observationOf(scos: readonly Sco[], nowMs: number): Observation[] {
  const t = new Date(nowMs).toISOString();
  return [{ first_observed: t, last_observed: t, number_observed: 1, objects: scos }];
}
