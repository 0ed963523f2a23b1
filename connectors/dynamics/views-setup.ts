/**
 * The connector's opportunity views (mappings/views.dynamics.ts) as Dataverse system views: created with
 * POST /savedqueries when no view of that name exists for opportunity, so setup is safe to run again.
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/savedquery
 */
import { DYNAMICS_VIEWS, savedQueryXml } from '../../mappings/views.dynamics.js';
import { odataStringLiteral } from '../odata.js';
import type { SetupReport } from '../../core/engine/crm-port.js';
import type { DataverseClient } from './client.js';

export async function installViews(client: DataverseClient, prefix: string, report: SetupReport): Promise<void> {
  for (const view of DYNAMICS_VIEWS) {
    const found = await client.get<{ value: { savedqueryid: string }[] }>(
      `looking for view "${view.name}"`,
      `savedqueries?$select=savedqueryid&$filter=returnedtypecode eq 'opportunity' and name eq ${encodeURIComponent(odataStringLiteral(view.name))}`,
    );
    if (found.data.value.length > 0) {
      report.alreadyPresent.push(`view ${view.name}`);
      continue;
    }
    const body = { name: view.name, description: view.description, returnedtypecode: 'opportunity', querytype: 0, ...savedQueryXml(view, prefix) };
    await client.request(`creating view "${view.name}"`, { method: 'POST', url: 'savedqueries', data: body, headers: { 'Content-Type': 'application/json' }, idempotent: false });
    report.created.push(`view ${view.name}`);
  }
}
