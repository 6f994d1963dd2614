/**
 * Recording that a looked-up value matched an indicator: a STIX 2.1 sighting (section 5.2,
 * `sighting_of_ref` the indicator) stored in the node's local collection. Telling the indicator's
 * origin about it is the exchange's business: `onSighting` is the hook it plugs into, called after
 * the sighting is committed (side effects toward peers only after commit).
 */
import { randomUUID } from 'node:crypto';
import { type Clock, internal, invalid, systemClock } from '../core/index.js';
import { defaultValidator, toStoreHead } from '../stix/index.js';
import type { StixStore } from '../store/index.js';
import type { LookupMatch, LookupResult } from './matcher.js';

export interface SightingOptions {
  store: StixStore;
  /** Collection alias or id the sightings go to (the node's local collection). */
  collection: string;
  clock?: Clock;
  /** The node's STIX identity, if it has one: `where_sighted_refs` and `created_by_ref`. */
  identityRef?: string;
  /** Called with each stored sighting and the indicator it sights; the exchange sends it on. */
  onSighting?: (sighting: Record<string, unknown>, indicator: LookupMatch) => Promise<void> | void;
}

/** Builds one sighting of `indicator`, seen now. */
export function buildSighting(
  indicator: LookupMatch,
  value: string,
  nowMs: number,
  identityRef?: string,
): Record<string, unknown> {
  const t = new Date(nowMs).toISOString();
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: `sighting--${randomUUID()}`,
    created: t,
    modified: t,
    first_seen: t,
    last_seen: t,
    count: 1,
    sighting_of_ref: indicator.id,
    description: `parley lookup matched ${JSON.stringify(value)}`,
    ...(identityRef && { created_by_ref: identityRef, where_sighted_refs: [identityRef] }),
  };
}

/**
 * Stores one sighting per (value, matched indicator) of `results`; returns the sightings stored.
 */
export async function recordSightings(
  results: readonly LookupResult[],
  opts: SightingOptions,
): Promise<Record<string, unknown>[]> {
  const clock = opts.clock ?? systemClock;
  const coll = await opts.store.getCollection(opts.collection);
  if (!coll) throw invalid('match.no_collection', `no collection "${opts.collection}" for sightings`);
  const pairs: [Record<string, unknown>, LookupMatch][] = [];
  for (const r of results)
    for (const m of r.matches) pairs.push([buildSighting(m, r.value, clock.now(), opts.identityRef), m]);
  if (pairs.length === 0) return [];
  const validator = defaultValidator();
  for (const [s] of pairs) {
    const v = validator.validate(s);
    if (!v.ok) throw internal(`a built sighting is not valid STIX: ${v.errors[0]?.message ?? ''}`);
  }
  const outcomes = await opts.store.ingest(
    coll.id,
    pairs.map(([s]) => ({ head: toStoreHead(s as never), json: JSON.stringify(s) })),
    { atomic: true },
  );
  const bad = outcomes.find((o) => o.status === 'rejected');
  if (bad && bad.status === 'rejected') throw internal(`sighting not stored: ${bad.reason}`);
  for (const [s, m] of pairs) await opts.onSighting?.(s, m);
  return pairs.map(([s]) => s);
}
