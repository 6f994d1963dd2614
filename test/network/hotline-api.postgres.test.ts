import { hotlineApiSuite } from './hotline-api.suite.js';

hotlineApiSuite('postgres');
