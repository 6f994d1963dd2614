import { runPagingTests } from './paging.contract.js';

runPagingTests([1], false);
