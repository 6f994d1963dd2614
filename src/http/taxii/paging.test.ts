import { runPagingTests } from './paging.contract.js';

runPagingTests([7, 100, 999, 10_000], true);
