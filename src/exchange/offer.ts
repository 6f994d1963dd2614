/**
 * The sending side: what one peer may see under one agreement, read from the store after that
 * feed's cursor at send time, filtered (loop rules, relay rule, then the sharing policy) and cut to
 * fit one envelope. Nothing bulky is ever copied into the outbox.
 *
 * Loop rules: an object never goes back to its origin or to the peer it came from. Relay rule: an
 * object received under agreement X is passed on only under another agreement that does not include
 * its origin (the origin shares with those parties itself), and only as the policy allows onward
 * sharing (TLP:CLEAR and GREEN, or a grant from the origin). A grant from the origin, held here,
 * that names the recipient (or the feed's agreement) lifts the relay rule for that hop: the origin
 * asked this node to pass the object on. See docs/EXCHANGE.md.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AgreementDocument } from '../pact/index.js';
import type { Schema, StixStore, StoredObject } from '../store/index.js';
import { BATCH_ENCODING, type Draft, draftBytes, encodeEntries, rememberBatchObjects } from './codec.js';
import { readCursors } from './cursors.js';
import { grantNames, grantsFor } from './grants.js';
import { decideShare, type PermissionGrant, type Provenance } from './policy/index.js';
import { type ProvenanceRecord, provenanceOf, versionKey } from './provenance.js';
import type { BatchPayload } from './types.js';
import { INBOUND_PREFIX, inboundAlias } from './types.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface Feed {
  peer: string;
  agreement: { id: string; doc: AgreementDocument };
}

/** A collection this node offers: its own (origin: this node) or one it received (relay). */
export interface Source {
  id: string;
  alias: string;
  /** `from-<peer>` collections hold what peers sent; every object there has a provenance record. */
  inbound: boolean;
  /** High-water mark of date_added, microseconds. */
  lastAddedUs: number;
}

export interface OfferLimits {
  /** Largest payload JSON, bytes (what fits one envelope after base64url and the header). */
  maxPayloadBytes: number;
  /** Uncompressed bytes gathered for one batch (what usually compresses under maxPayloadBytes). */
  maxRawBytes: number;
  maxObjects: number;
  /** Rows read per store page. */
  pageSize: number;
}

export type Offer =
  /** `more`: the batch was cut to fit, so the same source has more after `upToUs`. */
  | { kind: 'batch'; payload: BatchPayload; collection: string; upToUs: number; more: boolean }
  /** Everything after the cursor was filtered out: move the cursor, send nothing. */
  | { kind: 'filtered'; collection: string; upToUs: number; oversized: number }
  | { kind: 'nothing' };

/** The collections offered to `peer`: the shared ones and every inbound one but the peer's own. */
export async function sourcesFor(db: Db, shared: readonly string[], peer: string): Promise<Source[]> {
  const rows = await db.selectFrom('stix_collections').select(['id', 'alias', 'last_added_us']).execute();
  const out: Source[] = [];
  for (const r of rows) {
    const inbound = r.alias.startsWith(INBOUND_PREFIX);
    if (inbound ? r.alias === inboundAlias(peer) : !(shared.includes(r.alias) || shared.includes(r.id)))
      continue;
    out.push({ id: r.id, alias: r.alias, inbound, lastAddedUs: Number(r.last_added_us) });
  }
  return out.sort((a, b) => Number(a.inbound) - Number(b.inbound) || a.alias.localeCompare(b.alias));
}

/** Whether a feed has anything past its cursors (before filtering): one small query each. */
export async function hasNew(db: Db, shared: readonly string[], feed: Feed): Promise<boolean> {
  const [sources, cursors] = await Promise.all([
    sourcesFor(db, shared, feed.peer),
    readCursors(db, 'out', { peer: feed.peer, agreement: feed.agreement.id }),
  ]);
  return sources.some((s) => s.lastAddedUs > (cursors.get(s.id) ?? 0));
}

/**
 * The next batch of a feed: the first source with something past its cursor, read page by page
 * until the batch is full. `self` is this node's id. `ahead` holds, per source collection, where
 * batches already in flight end: the next one starts there rather than at the acknowledged cursor.
 */
export async function nextOffer(
  db: Db,
  store: StixStore,
  self: string,
  shared: readonly string[],
  feed: Feed,
  limits: OfferLimits,
  ahead?: ReadonlyMap<string, number>,
): Promise<Offer> {
  const cursors = await readCursors(db, 'out', { peer: feed.peer, agreement: feed.agreement.id });
  for (const src of await sourcesFor(db, shared, feed.peer)) {
    const after = Math.max(cursors.get(src.id) ?? 0, ahead?.get(src.id) ?? 0);
    if (src.lastAddedUs <= after) continue;
    return collect(store, db, self, src, after, feed, limits);
  }
  return { kind: 'nothing' };
}

async function collect(
  store: StixStore,
  db: Db,
  self: string,
  src: Source,
  afterUs: number,
  feed: Feed,
  limits: OfferLimits,
): Promise<Offer> {
  const drafts: { draft: Draft; us: number }[] = [];
  let bytes = 0;
  let upTo = afterUs;
  const oversized = 0;
  let cursor = BigInt(afterUs);
  const target = {
    agreement: feed.agreement.doc,
    recipient: feed.peer,
    self,
    purpose: 'collection' as const,
  };
  for (;;) {
    const page = await store.query({
      collectionId: src.id,
      addedAfterUs: cursor,
      versions: { kind: 'all' },
      limit: limits.pageSize,
    });
    if (page.length === 0) break;
    const prov = src.inbound
      ? await provenanceOf(
          db,
          page.map((o) => ({ id: o.id, version: o.version })),
        )
      : undefined;
    const grants = src.inbound
      ? await grantsFor(
          db,
          page.map((o) => o.id),
        )
      : undefined;
    for (const o of page) {
      const draft = offerOne(o, self, prov, grants, feed, target);
      if (draft) {
        const size = draftBytes(draft);
        if (drafts.length > 0 && (drafts.length >= limits.maxObjects || bytes + size > limits.maxRawBytes))
          return seal(src, afterUs, upTo, drafts, limits, true);
        drafts.push({ draft, us: Number(o.dateAddedUs) });
        bytes += size;
      }
      upTo = Number(o.dateAddedUs);
    }
    if (page.length < limits.pageSize) break;
    cursor = page[page.length - 1]!.dateAddedUs;
  }
  if (drafts.length === 0) return { kind: 'filtered', collection: src.id, upToUs: upTo, oversized };
  return seal(src, afterUs, upTo, drafts, limits, upTo < src.lastAddedUs);
}

/**
 * Compresses the drafts into one batch body; while it does not fit an envelope, keeps the first
 * half (the cursor then stops after the last object kept). One object that alone cannot fit is
 * passed over: counted as oversized, the cursor moves past it, it is never retried forever.
 */
function seal(
  src: Source,
  afterUs: number,
  upToUs: number,
  drafts: { draft: Draft; us: number }[],
  limits: OfferLimits,
  more: boolean,
): Offer {
  let take = drafts;
  let upTo = upToUs;
  for (;;) {
    const data = encodeEntries(take.map((d) => d.draft));
    // Room for the rest of the payload ({"v":1,"collection":...}).
    if (data.length + 512 <= limits.maxPayloadBytes) {
      const payload = {
        v: 1 as const,
        collection: src.id,
        after: String(afterUs),
        upTo: String(upTo),
        count: take.length,
        encoding: BATCH_ENCODING,
        data,
      };
      if (take.every((d) => d.draft.object))
        rememberBatchObjects(
          payload,
          take.map((d) => d.draft.object as Record<string, unknown>),
        );
      return {
        kind: 'batch',
        collection: src.id,
        upToUs: upTo,
        more: more || take.length < drafts.length,
        payload,
      };
    }
    if (take.length === 1) return { kind: 'filtered', collection: src.id, upToUs: take[0]!.us, oversized: 1 };
    take = take.slice(0, Math.ceil(take.length / 2));
    upTo = take[take.length - 1]!.us;
  }
}

/**
 * The relay rule, before the sharing policy: a received object never goes back to its origin or to
 * the peer it came from, and goes on only into another community, one the origin is not part of
 * (inside it, the origin shares for itself), unless a grant of the origin held here names this
 * recipient or this agreement. Pure, so the network property test runs the same rule.
 */
export function mayRelay(
  rec: { origin: string; receivedFrom: string | null; agreement: string },
  heldGrants: readonly PermissionGrant[],
  peer: string,
  agreement: { id: string; doc: AgreementDocument },
): boolean {
  if (peer === rec.origin || peer === rec.receivedFrom) return false;
  if (heldGrants.some((g) => g.grantedBy === rec.origin && grantNames(g, peer, agreement.id))) return true;
  if (rec.agreement === agreement.id) return false;
  return !agreement.doc.parties.some((q) => q.node === rec.origin);
}

/** The entry for one stored version, or undefined when it must not go to this peer. */
function offerOne(
  o: StoredObject,
  self: string,
  prov: Map<string, ProvenanceRecord> | undefined,
  grants: Map<string, PermissionGrant[]> | undefined,
  feed: Feed,
  target: Parameters<typeof decideShare>[2],
): Draft | undefined {
  let p: Provenance;
  if (prov) {
    const rec = prov.get(versionKey(o.id, o.version));
    if (!rec) return undefined;
    // Only the origin's own grants, received from it here, count (never one that came with a batch).
    const held = (grants?.get(o.id) ?? []).filter((g) => g.grantedBy === rec.origin);
    if (!mayRelay(rec, held, feed.peer, feed.agreement)) return undefined;
    p = { origin: rec.origin, receivedFrom: rec.receivedFrom, permissions: held };
  } else {
    p = { origin: self, receivedFrom: null, permissions: [] };
  }
  const object = JSON.parse(o.json) as Record<string, unknown>;
  const d = decideShare(object, p, target);
  if (!d.share) return undefined;
  return { origin: p.origin, json: o.json, object };
}
