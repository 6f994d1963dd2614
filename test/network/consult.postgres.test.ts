import { consultSuite } from './consult.suite.js';

consultSuite('postgres');
