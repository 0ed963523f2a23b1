/** The benchmark counts calls as the services bill them: a composite or `$batch` once, tokens apart. */
import assert from 'node:assert/strict';
import { billedCalls } from '../../bench/billing.js';

describe('benchmark call counting', () => {
  it('counts a Salesforce composite request once and its subrequests apart, and token requests apart', () => {
    const calls = billedCalls({ composite: 2, 'composite.query:Opportunity': 6, 'composite.query:OpportunityTeamMember': 4, 'composite/sobjects:PATCH': 3, 'query:Opportunity': 5, token: 1 });
    assert.deepEqual({ total: calls.total, tokenCalls: calls.tokenCalls, subrequests: calls.subrequests }, { total: 10, tokenCalls: 1, subrequests: 10 });
  });

  it('counts a Dataverse $batch once, not its operations', () => {
    const calls = billedCalls({ 'POST $batch': 2, '$batch operations': 1500, '$batch PATCH opportunities': 1500, 'GET opportunities': 3 });
    assert.equal(calls.total, 5);
    assert.equal(calls.subrequests, 3000);
  });
});
