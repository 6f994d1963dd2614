/**
 * The collection a peer's objects land in, `from-<peer>`, created on first receipt inside the
 * receiving transaction and served over TAXII under the node's API root, readable by the reader
 * role, so a local MISP or OpenCTI polls what each peer sent. TAXII rows are written here, in the
 * same transaction, rather than through the TAXII registry, which writes outside any transaction;
 * a running server's registry sees them within its snapshot time (2 s).
 */
import type { Transaction } from 'kysely';
import { isoMillis } from '../core/index.js';
import type { Collection, Schema, StixStore } from '../store/index.js';
import { inboundAlias } from './types.js';

export interface InboundTaxii {
  /** The API root the collections are served under (the node's default, `parley`). */
  apiRoot: string;
  /** The role that may read them. */
  readerRole: string;
}

export async function ensureInboundCollection(
  tx: Transaction<Schema>,
  store: StixStore,
  peer: string,
  taxii: InboundTaxii,
  now: number,
): Promise<Collection> {
  const alias = inboundAlias(peer);
  const found = await store.getCollection(alias);
  if (found) return found;
  const coll = await store.createCollection({
    alias,
    title: `Threat intel from ${peer}`,
    description: `Objects received from the peer node ${peer}; provenance in the exchange tables`,
  });
  const root = await tx
    .selectFrom('taxii_api_roots')
    .select('name')
    .where('name', '=', taxii.apiRoot)
    .executeTakeFirst();
  if (!root) {
    const hasDefault = await tx
      .selectFrom('taxii_api_roots')
      .select('name')
      .where('is_default', '=', 1)
      .executeTakeFirst();
    await tx
      .insertInto('taxii_api_roots')
      .values({
        name: taxii.apiRoot,
        title: 'Threat intel',
        description: null,
        max_content_length: 100 * 1024 * 1024,
        is_default: hasDefault ? 0 : 1,
        created: isoMillis(now),
      })
      .execute();
  }
  await tx
    .insertInto('taxii_root_collections')
    .values({ api_root: taxii.apiRoot, collection_id: coll.id })
    .execute();
  await tx
    .insertInto('taxii_permissions')
    .values({ collection_id: coll.id, role: taxii.readerRole, can_read: 1, can_write: 0 })
    .execute();
  return coll;
}
