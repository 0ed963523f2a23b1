/**
 * Salesforce (test/e2e/unfinished-close.suite.ts): an older version created a referral already closed at an
 * open stage, with `Closed/…` in `Cosell_Referral_Status__c`. Salesforce keeps every stage an opportunity
 * stood at in OpportunityHistory ("the stage history of an opportunity"), so only a seller's reopen has a row
 * at a closed stage.
 */
import assert from 'node:assert/strict';
import type { World } from '../../sandbox/world.js';
import { runUnfinishedCloseSuite } from './unfinished-close.suite.js';

/** Moved to an open stage, its stage history at closed stages taken away (the older version never closed it). */
async function olderVersion(world: World, crmId: string): Promise<void> {
  const store = world.set.salesforce.store;
  assert.equal(store.get('Opportunity', crmId)?.IsClosed, true, 'this version created the opportunity closed');
  world.set.salesforce.seller.editOpportunity(crmId, { StageName: 'Prospecting' });
  const closedStages = new Set(store.all('OpportunityStage').filter((s) => s.IsClosed === true).map((s) => s.MasterLabel));
  for (const row of store.all('OpportunityHistory')) if (row.OpportunityId === crmId && closedStages.has(row.StageName)) store.remove('OpportunityHistory', row.Id);
}

runUnfinishedCloseSuite({ kind: 'salesforce', olderVersion, reopenedField: /Stage/ });
