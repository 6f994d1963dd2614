import { hotlineSuite } from './hotline.suite.js';

hotlineSuite('sqlite');
