import { runRemovalNextRunSuite } from './removal-next-run.suite.js';

runRemovalNextRunSuite('salesforce');
