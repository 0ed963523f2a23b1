/**
 * The shared CRM adapter contract, run against the Dynamics 365 adapter and the Dataverse sandbox
 * (real msal-node and axios over loopback). The CRM side acts through the sandbox's seller controls.
 */
import { randomUUID } from 'node:crypto';
import { runCrmAdapterContract, type CrmContractHarness } from './crm-adapter.contract.js';
import { runCrmLeadContract } from './crm-leads.contract.js';
import { runCrmChildRowContract } from './crm-child-rows.contract.js';
import { startDynamicsHarness } from '../helpers/dynamics.js';

const PAGE_SIZE = 5;

const harness = async (): Promise<CrmContractHarness> => {
  const h = await startDynamicsHarness({ pageSize: PAGE_SIZE });
  await h.adapter.setup();
  let n = 0;
  return {
    adapter: h.adapter,
    pageSize: PAGE_SIZE,
    async seedDeals(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        n += 1;
        const account = await h.control<{ accountid: string }>('seller/create', {
          entitySet: 'accounts',
          values: { name: `Seeded Customer ${n}`, address1_postalcode: '98052', address1_country: 'US', address1_city: 'Redmond' },
        });
        const opp = await h.control<{ opportunityid: string }>('seller/create', {
          entitySet: 'opportunities',
          values: {
            name: `Seeded deal ${n}`, estimatedvalue: 1000 * n, estimatedclosedate: '2027-01-31', cosell_syncwithpartnercenter: true,
            'parentaccountid@odata.bind': `/accounts(${account.accountid})`, 'customerid_account@odata.bind': `/accounts(${account.accountid})`,
          },
        });
        ids.push(opp.opportunityid);
      }
      return ids;
    },
    async sellerEdit(crmId, edit) {
      await h.control('seller/edit', {
        id: crmId,
        changes: {
          ...(edit.dealName !== undefined ? { name: edit.dealName } : {}),
          ...(edit.value !== undefined ? { estimatedvalue: edit.value } : {}),
          ...(edit.notes !== undefined ? { description: edit.notes } : {}),
        },
      });
    },
    async readStatus(crmId) {
      const row = h.dataverse.store.table('opportunity')!.rows.get(crmId) ?? {};
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
      return { state: text(row.cosell_syncstate), message: text(row.cosell_syncmessage) ?? '', referralId: text(row.cosell_referralid) };
    },
    async countCustomers(name) {
      return [...h.dataverse.store.table('account')!.rows.values()].filter((r) => r.name === name).length;
    },
    missingCrmId: randomUUID(),
    teardown: () => h.close(),
  };
};

runCrmAdapterContract('Dynamics 365', harness);
runCrmLeadContract('Dynamics 365', harness);
runCrmChildRowContract('Dynamics 365', harness);
