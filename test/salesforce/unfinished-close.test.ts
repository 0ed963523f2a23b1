/**
 * connectors/salesforce/unfinished-close.ts: an open stage beside a Closed status is the connector's
 * unfinished close only when the opportunity never stood at a closed stage (OpportunityHistory).
 */
import assert from 'node:assert/strict';
import type { CrmDeal } from '../../core/engine/crm-port.js';
import { AuthError } from '../../core/errors.js';
import { emptyReferral } from '../../core/model/referral.js';
import { F } from '../../mappings/custom-fields.salesforce.js';
import type { StageDecision } from '../../mappings/stages.salesforce.js';
import { closedHistoryQuery, markUnfinishedCloses, statedClose } from '../../connectors/salesforce/unfinished-close.js';
import type { QueryPageReader } from '../../connectors/salesforce/query-pages.js';

const STAGES = new Map<string, StageDecision>([
  ['Prospecting', { meaning: { kind: 'open', salesStage: 'Qualified' }, source: 'table' }],
  ['Closed Won', { meaning: { kind: 'won' }, source: 'closed' }],
  ['Closed Lost', { meaning: { kind: 'lost' }, source: 'closed' }],
]);
const opp = (id: string, stage: string, status: string) => ({ Id: id, StageName: stage, [F.referralStatus]: status });
const deal = (id: string): CrmDeal => ({ crmId: id, modifiedAt: '', intent: { optedIn: true }, referral: emptyReferral(), problems: [] });
const reader = (answer: () => { OpportunityId: string }[]): QueryPageReader & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    query: async (soql: string) => { asked.push(soql); return { done: true, totalSize: 0, records: answer() } as never; },
    queryMore: async () => { throw new Error('no more pages'); },
  } as QueryPageReader & { asked: string[] };
};

describe('Salesforce: an open stage beside a Closed status', () => {
  it('is stated only for a final status at an open stage', () => {
    assert.deepEqual(statedClose(opp('0061', 'Prospecting', 'Closed/Expired'), STAGES), { status: 'Closed', substatus: 'Expired' });
    assert.equal(statedClose(opp('0061', 'Closed Lost', 'Closed/Expired'), STAGES), undefined);
    assert.equal(statedClose(opp('0061', 'Prospecting', 'Active/Accepted'), STAGES), undefined);
  });

  it("asks the stage history for the org's closed stages only", () => {
    assert.equal(closedHistoryQuery(['006000000000001AAA'], STAGES), "SELECT OpportunityId FROM OpportunityHistory WHERE OpportunityId IN ('006000000000001AAA') AND StageName IN ('Closed Won', 'Closed Lost')");
  });

  it('marks one that never stood at a closed stage, and leaves a reopen (a closed row in its history) alone', async () => {
    const deals = [deal('006000000000001AAA'), deal('006000000000002AAA'), deal('006000000000003AAA')];
    const opps = [opp(deals[0]!.crmId, 'Prospecting', 'Closed/Declined'), opp(deals[1]!.crmId, 'Prospecting', 'Closed/Won'), opp(deals[2]!.crmId, 'Prospecting', 'Active/Accepted')];
    const client = reader(() => [{ OpportunityId: deals[1]!.crmId }]);
    await markUnfinishedCloses(client, opps, deals, STAGES);
    assert.deepEqual(deals.map((d) => d.unfinishedClose), [{ status: 'Closed', substatus: 'Declined' }, undefined, undefined]);
    assert.equal(client.asked.length, 1, 'one query');
  });

  it('makes no call when no record needs it, and reads every one as a reopen when the history may not be read', async () => {
    const quiet = reader(() => []);
    await markUnfinishedCloses(quiet, [opp('006000000000001AAA', 'Prospecting', 'Active/Accepted')], [deal('006000000000001AAA')], STAGES);
    assert.deepEqual(quiet.asked, []);
    const refused = reader(() => { throw new AuthError('no access'); });
    const d = deal('006000000000002AAA');
    await markUnfinishedCloses(refused, [opp(d.crmId, 'Prospecting', 'Closed/Lost')], [d], STAGES);
    assert.equal(d.unfinishedClose, undefined);
  });
});
