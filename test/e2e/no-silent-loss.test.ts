import { runNoSilentLossSuite } from './no-silent-loss.suite.js';

runNoSilentLossSuite('salesforce');
runNoSilentLossSuite('dynamics');
