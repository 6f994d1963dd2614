/**
 * Export: a collection (or part of it) as one STIX 2.1 bundle, written as it is read from the
 * store page by page, so a collection of any size costs one page of memory.
 */
import { randomUUID } from 'node:crypto';
import { ParleyError } from '../core/errors.js';
import { parseDateAddedUs, type StixStore } from '../store/index.js';

export interface ExportOptions {
  collection: string;
  types?: string[];
  /** RFC 3339; only objects added to the node strictly after it. */
  addedAfter?: string;
  /** Every stored version, not only the latest of each object. */
  allVersions?: boolean;
}

/** Writes the bundle through `write` (which may return a promise to apply back-pressure). */
export async function exportBundle(
  store: StixStore,
  opts: ExportOptions,
  write: (chunk: string) => void | Promise<void>,
): Promise<{ objects: number }> {
  const collection = await store.getCollection(opts.collection);
  if (!collection) {
    throw new ParleyError('collection.not_found', `no collection "${opts.collection}" on this node`, 404);
  }
  let addedAfterUs: bigint | undefined;
  if (opts.addedAfter !== undefined) {
    addedAfterUs = parseDateAddedUs(opts.addedAfter);
    if (addedAfterUs === undefined) {
      throw new ParleyError(
        'export.bad_timestamp',
        `--added-after must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z, got "${opts.addedAfter}"`,
        400,
      );
    }
  }
  await write(`{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
  let n = 0;
  for await (const o of store.stream({
    collectionId: collection.id,
    types: opts.types,
    addedAfterUs,
    versions: opts.allVersions ? { kind: 'all' } : { kind: 'last' },
  })) {
    await write(n === 0 ? `\n${o.json}` : `,\n${o.json}`);
    n++;
  }
  await write('\n]}\n');
  return { objects: n };
}
