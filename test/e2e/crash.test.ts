import { runCrashSuite } from './crash.suite.js';

runCrashSuite('salesforce');
runCrashSuite('dynamics');
