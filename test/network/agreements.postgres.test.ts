import { pgDisabled } from '../support/pg.js';
import { agreementsSuite } from './agreements.suite.js';

if (!pgDisabled()) agreementsSuite('postgres');
