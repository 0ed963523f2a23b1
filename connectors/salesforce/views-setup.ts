/**
 * The connector's Opportunity list views (mappings/views.salesforce.ts), created through the User
 * Interface API's list-info resource (API 61.0 and later) when the org has none of that API name, so setup
 * is safe to run again.
 * https://developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_resources_lists_object_post.htm
 */
import { SALESFORCE_LIST_VIEWS } from '../../mappings/views.salesforce.js';
import type { SetupReport } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from './client.js';
import { inList, quote } from './soql.js';

export async function installListViews(client: SalesforceClient, report: SetupReport): Promise<void> {
  const names = SALESFORCE_LIST_VIEWS.map((v) => v.listViewApiName);
  const existing = await client.query<{ DeveloperName: string }>(`SELECT Id, DeveloperName FROM ListView WHERE SobjectType = 'Opportunity' AND DeveloperName IN ${inList(names, quote)}`);
  const present = new Set(existing.records.map((r) => r.DeveloperName.toLowerCase()));
  for (const view of SALESFORCE_LIST_VIEWS) {
    const name = `list view Opportunity.${view.listViewApiName}`;
    if (present.has(view.listViewApiName.toLowerCase())) {
      report.alreadyPresent.push(name);
      continue;
    }
    await client.createListView('Opportunity', view);
    report.created.push(name);
  }
}
