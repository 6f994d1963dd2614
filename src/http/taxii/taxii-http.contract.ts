/**
 * The HTTP-level TAXII 2.1 suite: every endpoint, status code and filter, run by
 * taxii-http.sqlite.test.ts and taxii-http.postgres.test.ts against the two back ends. The cases
 * are grouped by endpoint in taxii-http-*.contract.ts and run in this order, on the one state that
 * test-taxii-suite.ts sets up (the writes come after the reads that count objects).
 */
import { describe } from 'node:test';
import { collectionCases } from './taxii-http-collections.contract.js';
import { openApiCases } from './taxii-http-openapi.contract.js';
import { readCases } from './taxii-http-reads.contract.js';
import { rootCases } from './taxii-http-root.contract.js';
import { writeCases } from './taxii-http-writes.contract.js';
import type { Backend } from './test-harness.js';
import { setUpTaxiiSuite } from './test-taxii-suite.js';

export function runTaxiiHttpSuite(backend: Backend): void {
  describe(`TAXII 2.1 over HTTP (${backend})`, () => {
    const suite = setUpTaxiiSuite(backend);
    rootCases(suite);
    collectionCases(suite);
    readCases(suite);
    writeCases(suite);
    openApiCases(suite);
  });
}
