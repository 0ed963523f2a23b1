/** The shared CrmAdapter contract, run against the Salesforce adapter and the Salesforce sandbox over loopback. */
import { contractHarness } from '../helpers/salesforce-harness.js';
import { runCrmAdapterContract } from './crm-adapter.contract.js';
import { runCrmLeadContract } from './crm-leads.contract.js';
import { runCrmChildRowContract } from './crm-child-rows.contract.js';

runCrmAdapterContract('Salesforce', () => contractHarness(10));
runCrmLeadContract('Salesforce', () => contractHarness(10));
runCrmChildRowContract('Salesforce', () => contractHarness(10));
