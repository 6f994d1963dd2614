/**
 * The receiving side of a batch, inside the transaction that opens the envelope and signs its
 * receipt: check the payload, validate every object with the STIX core, drop what this node already
 * holds (by provenance, whatever peer it came from) or originated, store the rest unchanged in
 * `from-<sender>`, record provenance and the inbound cursor. A batch is stored whole or not at all.
 */
import type { Transaction } from 'kysely';
import { invalid, isoMillis } from '../core/index.js';
import { stixPatternProblem, validateObject } from '../stix/index.js';
import {
  createStixStore,
  type Database,
  type ObjectToStore,
  type Schema,
  versionOf,
} from '../store/index.js';
import { BATCH_ENCODING, decodeBatch, rememberBatchObjects } from './codec.js';
import { ensureInboundCollection, type InboundTaxii } from './collections.js';
import { setCursor } from './cursors.js';
import type { PermissionGrant } from './policy/index.js';
import { type ProvenanceRecord, provenanceOf, recordProvenance, versionKey } from './provenance.js';
import type { BatchEntry, BatchPayload, BatchResult } from './types.js';

export interface ReceiveContext {
  database: Database;
  self: string;
  taxii: InboundTaxii;
  now: number;
  maxObjects: number;
  /** Largest batch body once inflated, bytes. */
  maxInflatedBytes: number;
}

const US = /^[0-9]{1,17}$/;

/** Checks the payload's shape and inflates its entries; names the field that is wrong. */
export function checkBatch(
  p: unknown,
  maxObjects: number,
  maxInflatedBytes: number,
): { batch: BatchPayload; entries: BatchEntry[]; texts?: string[] } {
  const b = p as Partial<BatchPayload> | null;
  if (!b || typeof b !== 'object' || b.v !== 1)
    throw invalid('exchange.bad_batch', 'batch payload: v must be 1');
  if (typeof b.collection !== 'string' || b.collection.length === 0 || b.collection.length > 200)
    throw invalid('exchange.bad_batch', 'batch payload: collection must be a collection id', {
      field: 'collection',
    });
  for (const f of ['after', 'upTo'] as const)
    if (typeof b[f] !== 'string' || !US.test(b[f] as string))
      throw invalid('exchange.bad_batch', `batch payload: ${f} must be microseconds as a decimal string`, {
        field: f,
      });
  if (typeof b.count !== 'number' || !Number.isInteger(b.count) || b.count < 0 || b.count > maxObjects)
    throw invalid('exchange.bad_batch', `batch payload: count must be an integer from 0 to ${maxObjects}`, {
      field: 'count',
    });
  if (b.encoding !== BATCH_ENCODING)
    throw invalid('exchange.bad_batch', `batch payload: encoding must be "${BATCH_ENCODING}"`, {
      field: 'encoding',
    });
  const decoded = decodeBatch(b.data, maxInflatedBytes);
  const entries = decoded.entries as BatchEntry[];
  if (entries.length !== b.count)
    throw invalid(
      'exchange.bad_batch',
      `batch payload: count is ${b.count} but data holds ${entries.length}`,
      {
        field: 'count',
      },
    );
  entries.forEach((e, i) => {
    if (
      !e ||
      typeof e !== 'object' ||
      typeof e.origin !== 'string' ||
      !e.object ||
      typeof e.object !== 'object' ||
      Array.isArray(e.object)
    )
      throw invalid('exchange.bad_batch', `batch payload: data[${i}] must be {origin, object}`, {
        field: `data[${i}]`,
      });
    if (e.permissions !== undefined && !Array.isArray(e.permissions))
      throw invalid('exchange.bad_batch', `batch payload: data[${i}].permissions must be a list`, {
        field: `data[${i}].permissions`,
      });
  });
  return { batch: b as BatchPayload, entries, ...(decoded.texts ? { texts: decoded.texts } : {}) };
}

export async function receiveBatch(
  ctx: ReceiveContext,
  tx: Transaction<Schema>,
  sender: string,
  agreement: string | null,
  payload: unknown,
): Promise<BatchResult> {
  if (!agreement) throw invalid('exchange.no_agreement', 'an intel batch must travel under an agreement');
  const { batch: b, entries, texts } = checkBatch(payload, ctx.maxObjects, ctx.maxInflatedBytes);
  rememberBatchObjects(
    payload as object,
    entries.map((e) => e.object as Record<string, unknown>),
  );
  // A sender keeps more than one batch in flight: on PostgreSQL its batches are stored one at a time
  // (the collection created once, the cursor row written once); SQLite's writers are exclusive anyway.
  await ctx.database.lock(tx, `exchange:in:${sender}`);
  const store = createStixStore({ ...ctx.database, db: tx, transaction: (fn) => fn(tx) });
  const coll = await ensureInboundCollection(tx, store, sender, ctx.taxii, ctx.now);
  const result: BatchResult = { stored: 0, present: 0, rejected: 0, upTo: b.upTo };

  const candidates: { entry: BatchEntry; toStore: ObjectToStore }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    // The same checks as a local ingest, patterns included: a peer is not trusted to have made them.
    const r = validateObject(entry.object, { checkPattern: stixPatternProblem });
    if (!r.ok) {
      result.rejected++;
      continue;
    }
    // Never take back what this node originated.
    if (entry.origin === ctx.self) {
      result.present++;
      continue;
    }
    const o = r.object;
    const head = {
      id: o.id,
      type: o.type,
      ...(o.spec_version ? { spec_version: o.spec_version } : {}),
      ...(o.created ? { created: o.created } : {}),
      ...(o.modified ? { modified: o.modified } : {}),
      ...(o.revoked !== undefined ? { revoked: o.revoked } : {}),
    };
    // Stored unchanged: the object's text as sent when the body gave it, else its value serialised.
    candidates.push({ entry, toStore: { head, json: texts?.[i] ?? JSON.stringify(entry.object) } });
  }
  // A version held already (from this peer or another, even if deleted here since) is not stored again.
  const known = await provenanceOf(
    tx,
    candidates.map((c) => ({ id: c.toStore.head.id, version: versionOf(c.toStore.head) })),
  );
  const fresh = candidates.filter(
    (c) => !known.has(versionKey(c.toStore.head.id, versionOf(c.toStore.head))),
  );
  result.present += candidates.length - fresh.length;

  const records: ProvenanceRecord[] = [];
  const at = isoMillis(ctx.now);
  if (fresh.length > 0) {
    const outcomes = await store.ingest(
      coll.id,
      fresh.map((c) => c.toStore),
    );
    outcomes.forEach((o, i) => {
      const c = fresh[i]!;
      if (o.status === 'rejected') {
        result.rejected++;
        return;
      }
      if (o.status === 'stored') result.stored++;
      else result.present++;
      records.push({
        objectId: o.id,
        version: o.version,
        origin: c.entry.origin,
        receivedFrom: sender,
        agreement,
        collectionId: coll.id,
        receivedAt: at,
        permissions: (c.entry.permissions ?? []) as PermissionGrant[],
      });
    });
  }
  await recordProvenance(tx, records);
  await setCursor(tx, 'in', { peer: sender, agreement }, b.collection, Number(b.upTo), at);
  return result;
}
