/**
 * Provenance of received object versions: (id, version) -> origin node, the peer it came from,
 * under which agreement, when, and the grants that travelled with it. Objects ingested locally
 * have no row: their origin is this node. The row outlives a local delete of the object, so a
 * version already received is never stored again (deleting is local only).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../store/index.js';
import type { PermissionGrant } from './policy/index.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface ProvenanceRecord {
  objectId: string;
  version: string;
  origin: string;
  receivedFrom: string;
  agreement: string;
  collectionId: string;
  receivedAt: string;
  permissions: PermissionGrant[];
}

export const versionKey = (id: string, version: string): string => `${id}\u0000${version}`;

/** Ids per IN list: well under SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/** The records of these (id, version) pairs that exist, by versionKey. */
export async function provenanceOf(
  db: Db,
  keys: readonly { id: string; version: string }[],
): Promise<Map<string, ProvenanceRecord>> {
  const out = new Map<string, ProvenanceRecord>();
  const wanted = new Set(keys.map((k) => versionKey(k.id, k.version)));
  const ids = [...new Set(keys.map((k) => k.id))];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('exchange_provenance')
      .selectAll()
      .where('object_id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      const k = versionKey(r.object_id, r.version);
      if (!wanted.has(k)) continue;
      out.set(k, {
        objectId: r.object_id,
        version: r.version,
        origin: r.origin,
        receivedFrom: r.received_from,
        agreement: r.agreement,
        collectionId: r.collection_id,
        receivedAt: r.received_at,
        permissions: JSON.parse(r.permissions) as PermissionGrant[],
      });
    }
  }
  return out;
}

/** Writes records in the receiving transaction; an (id, version) already known is left as it was. */
export async function recordProvenance(tx: Db, records: readonly ProvenanceRecord[]): Promise<void> {
  const ROWS = 400;
  for (let i = 0; i < records.length; i += ROWS) {
    const rows = records.slice(i, i + ROWS).map((r) => ({
      object_id: r.objectId,
      version: r.version,
      origin: r.origin,
      received_from: r.receivedFrom,
      agreement: r.agreement,
      collection_id: r.collectionId,
      received_at: r.receivedAt,
      permissions: JSON.stringify(r.permissions),
    }));
    await tx
      .insertInto('exchange_provenance')
      .values(rows)
      .onConflict((oc) => oc.columns(['object_id', 'version']).doNothing())
      .execute();
  }
}
