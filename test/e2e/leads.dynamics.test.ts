import { runLeadsKeptCurrentSuite } from './leads-kept-current.suite.js';
import { runLeadsSuite } from './leads.suite.js';

runLeadsSuite('dynamics');
runLeadsKeptCurrentSuite('dynamics');
