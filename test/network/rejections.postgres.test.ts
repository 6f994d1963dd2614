import { pgDisabled } from '../support/pg.js';
import { rejectionSuite } from './rejections.suite.js';

if (!pgDisabled()) rejectionSuite('postgres');
