import { runLeadsSuite } from './leads.suite.js';

runLeadsSuite('dynamics');
