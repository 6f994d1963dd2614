import { rejectionSuite } from './rejections.suite.js';

rejectionSuite('sqlite');
