import { runRegistrationFollowUpSuite } from './registration-follow-up.suite.js';

runRegistrationFollowUpSuite('dynamics');
