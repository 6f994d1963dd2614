/**
 * The StixStore contract: every implementation and back end must pass it (stix-store.sqlite.test.ts,
 * stix-store.postgres.test.ts). `open` may be called several times; every store it returns must see
 * the same database, so that two handles stand for two processes. The cases live in contract/.
 */
import { after, before, describe } from 'node:test';
import { collectionCases } from './contract/collections.js';
import { concurrencyCases } from './contract/concurrency.js';
import { type ContractContext, type OpenedStore, uid } from './contract/fixtures.js';
import { ingestCases } from './contract/ingest.js';
import { ingestInputCases } from './contract/ingest-input.js';
import { queryCases } from './contract/query.js';
import type { StixStoreOptions } from './kysely-stix-store.js';
import type { StixStore } from './stix-store.js';

export { type OpenedStore, stixVersion } from './contract/fixtures.js';

export interface ContractOptions {
  /** Run concurrent ingests from two handles (PostgreSQL; SQLite handles in one process would block each other). */
  concurrentHandles?: boolean;
}

export function runStixStoreContract(
  name: string,
  open: (opts?: StixStoreOptions) => Promise<OpenedStore>,
  options: ContractOptions = {},
): void {
  describe(`StixStore contract (${name})`, () => {
    let opened: OpenedStore | undefined;
    const ctx: ContractContext = {
      open,
      store: () => {
        if (!opened) throw new Error('the contract store is not open yet');
        return opened.store;
      },
      newCollection: async (store?: StixStore) =>
        (await (store ?? ctx.store()).createCollection({ alias: `c-${uid()}`, title: 'T' })).id,
    };
    before(async () => {
      opened = await open();
    });
    after(async () => {
      await opened?.close();
    });
    collectionCases(ctx);
    ingestCases(ctx);
    ingestInputCases(ctx);
    queryCases(ctx);
    if (options.concurrentHandles) concurrencyCases(ctx);
  });
}
