/** The model's refusal invariant (refusals.ts): which Partner Center refusals the connector could have known. */
import assert from 'node:assert/strict';
import { RefusalLog } from '../../sandbox/partner-center/refusal-log.js';
import { checkRefusals } from './refusals.js';

const ruleBody = { error: { code: 'invalidRequest', message: 'details.dealValue: must be positive', innerError: { code: 'format.value_positive', target: 'value' } } };

describe('model invariant: no refusal the connector could have known', () => {
  it('fails on a rule refusal of a write, naming the rule, and empties the log', () => {
    const log = new RefusalLog();
    log.record('2027-01-01T00:00:00Z', 'PATCH', '/v1.0/engagements/referrals/r1', 400, ruleBody);
    assert.throws(() => checkRefusals(log, 'round 1'), /round 1: Partner Center refused[\s\S]*format\.value_positive/);
    assert.equal(log.entries.length, 0);
  });

  it('passes a look-up answered 404 and an access token the server judged expired', () => {
    const log = new RefusalLog();
    log.record('2027-01-01T00:00:00Z', 'GET', '/v1.0/engagements/referrals/r1', 404, { error: { code: 'itemNotFound', message: 'No referral r1.' } });
    log.record('2027-01-01T00:00:00Z', 'GET', '/v1.0/engagements/referrals', 401, { error: { code: 'unauthenticated', message: 'The access token was refused: The access token has expired.' } });
    assert.doesNotThrow(() => checkRefusals(log, 'round 2'));
  });

  it('fails on a 404 answered to a write (the connector wrote to a referral it should have known was gone)', () => {
    const log = new RefusalLog();
    log.record('2027-01-01T00:00:00Z', 'PATCH', '/v1.0/engagements/referrals/r1', 404, { error: { code: 'itemNotFound', message: 'No referral r1.' } });
    assert.throws(() => checkRefusals(log, 'round 3'), /PATCH/);
  });
});
