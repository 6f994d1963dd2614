import { complianceSuite } from './scenario.suite.js';

complianceSuite('postgres');
