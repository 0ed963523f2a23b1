import { runPartnerCenterDownSuite } from './partner-center-down.suite.js';

runPartnerCenterDownSuite('salesforce');
runPartnerCenterDownSuite('dynamics');
