import { pgDisabled } from '../support/pg.js';
import { exchangeSuite } from './exchange.suite.js';

if (!pgDisabled()) exchangeSuite('postgres');
