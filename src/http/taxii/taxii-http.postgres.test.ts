import { pgDisabled } from '../../../test/support/pg.js';
import { runTaxiiHttpSuite } from './taxii-http.contract.js';

if (!pgDisabled()) runTaxiiHttpSuite('postgres');
