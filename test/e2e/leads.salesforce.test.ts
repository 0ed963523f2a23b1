import { runLeadsSuite } from './leads.suite.js';

runLeadsSuite('salesforce');
