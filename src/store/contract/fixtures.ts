/** Shared pieces of the StixStore contract: object fixtures, assertions, the context each part gets. */
import assert from 'node:assert/strict';
import type { StixStoreOptions } from '../kysely-stix-store.js';
import type { IngestOutcome, ObjectQuery, ObjectToStore, StixHead, StixStore } from '../stix-store.js';

export interface OpenedStore {
  store: StixStore;
  close(): Promise<void>;
}

/** What each part of the contract receives; `store()` is valid once the suite's `before` ran. */
export interface ContractContext {
  open: (opts?: StixStoreOptions) => Promise<OpenedStore>;
  store(): StixStore;
  /** A fresh collection (in the shared store unless another is given); returns its id. */
  newCollection(store?: StixStore): Promise<string>;
}

let seq = 0;
export const uid = () => `${Date.now().toString(16)}-${(seq++).toString(16).padStart(4, '0')}`;
export const sdoId = (type: string) =>
  `${type}--00000000-0000-4000-8000-${(seq++).toString(16).padStart(12, '0')}`;

/** A STIX object version as the STIX core would hand it over. */
export function stixVersion(
  id: string,
  modified: string | undefined,
  extra: Record<string, unknown> = {},
): ObjectToStore {
  const type = id.slice(0, id.indexOf('--'));
  const obj: Record<string, unknown> = { type, spec_version: '2.1', id, ...extra };
  if (modified !== undefined) {
    obj.created ??= '2020-01-01T00:00:00.000Z';
    obj.modified = modified;
  }
  const head: StixHead = { id, type, spec_version: obj.spec_version as string };
  if (typeof obj.created === 'string') head.created = obj.created;
  if (typeof obj.modified === 'string') head.modified = obj.modified;
  if (obj.revoked === true) head.revoked = true;
  return { head, json: JSON.stringify(obj) };
}

/** The n-th second of 2025, as a STIX timestamp. */
export const T = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString();
export type Filter = Partial<Omit<ObjectQuery, 'collectionId' | 'limit'>>;
export const DATE_ADDED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function stored(o: IngestOutcome): string {
  assert.equal(o.status, 'stored', JSON.stringify(o));
  return (o as { dateAdded: string }).dateAdded;
}

export function assertStrictlyIncreasing(rows: { dateAddedUs: bigint }[]) {
  for (let i = 1; i < rows.length; i++) {
    assert.ok(rows[i]!.dateAddedUs > rows[i - 1]!.dateAddedUs, `row ${i} is not after row ${i - 1}`);
  }
}
