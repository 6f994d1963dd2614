import { agreementsSuite } from './agreements.suite.js';

agreementsSuite('sqlite');
