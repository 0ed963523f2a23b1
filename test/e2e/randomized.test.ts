import { runRandomizedSuite } from './randomized.suite.js';

runRandomizedSuite('salesforce', 7, 300);
runRandomizedSuite('dynamics', 11, 300);
