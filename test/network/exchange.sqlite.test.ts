import { exchangeSuite } from './exchange.suite.js';

exchangeSuite('sqlite');
