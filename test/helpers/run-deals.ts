import type { CrmAdapter, CrmDeal } from '../../core/engine/crm-port.js';

/** The deals one full change listing of `adapter` hands on (a run's CRM read, as the engine starts it). */
export async function runDeals(adapter: CrmAdapter): Promise<CrmDeal[]> {
  const deals: CrmDeal[] = [];
  for await (const page of adapter.readChanges(undefined)) deals.push(...page.deals);
  return deals;
}
