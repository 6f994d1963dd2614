import { runTaxiiHttpSuite } from './taxii-http.contract.js';

runTaxiiHttpSuite('sqlite');
