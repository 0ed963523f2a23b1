import { runSaveRewritesSuite } from './save-rewrites.suite.js';

runSaveRewritesSuite('salesforce');
runSaveRewritesSuite('dynamics');
