/**
 * The lead mappings (mappings/leads.*.ts), pure: an update of a lead writes only the fields behind the changed
 * referral paths and never empties a field the CRM requires; the lead's own status follows Partner Center's only
 * once it moved (accepted, closed), so a seller's own lead status is left alone while an answer is awaited.
 */
import assert from 'node:assert/strict';
import type { SyncStatus } from '../../../core/model/sync-status.js';
import { emptyReferral } from '../../../core/model/index.js';
import { leadStatusBody, leadBody } from '../../../mappings/leads.dynamics.js';
import { LEAD_F, leadStatusValues, leadValues } from '../../../mappings/leads.salesforce.js';

const referral = emptyReferral({ referralId: 'ref-1', dealName: 'Adatum trial', customer: { name: 'Adatum', country: 'US' }, notes: 'Trial of the offer' });
const status = (s: SyncStatus['referralStatus']): SyncStatus => ({ state: 'synced', message: '', ...(s ? { referralStatus: s } : {}) });

describe('lead mappings', () => {
  it('Salesforce: a create fills every mapped field; an update only those behind the changed paths, never an empty Company', () => {
    const all = leadValues(referral);
    assert.equal(all.Company, 'Adatum');
    assert.equal(all[LEAD_F.dealName], 'Adatum trial');
    assert.deepEqual(leadValues({ ...referral, dealName: 'Renamed' }, ['dealName']), { [LEAD_F.dealName]: 'Renamed' });
    assert.deepEqual(leadValues({ ...referral, notes: undefined }, ['notes']), { Description: null }, 'an emptied optional field is cleared');
    assert.equal(leadValues({ ...referral, customer: { ...referral.customer, name: '' } }, ['customer.name']).Company, 'Adatum trial', 'Company is required: the deal name stands in');
  });

  it("Salesforce: the Lead Status follows Partner Center's only once accepted or closed", () => {
    assert.equal(leadStatusValues(status({ status: 'New', substatus: 'Pending' })).Status, undefined);
    assert.equal(leadStatusValues(status({ status: 'Active', substatus: 'Accepted' })).Status, 'Working - Contacted');
    assert.equal(leadStatusValues(status({ status: 'Closed', substatus: 'Expired' })).Status, 'Closed - Not Converted');
    assert.equal(leadStatusValues(status({ status: 'Closed', substatus: 'Expired' }))[LEAD_F.referralStatus], 'Closed/Expired');
    assert.equal(leadStatusValues(status(undefined))[LEAD_F.answerBy], null, 'an answer no longer awaited clears the date');
  });

  it("Dynamics: an update writes only the changed columns; the lead's state follows Partner Center's only once accepted or closed", () => {
    assert.deepEqual(leadBody({ ...referral, dealName: 'Renamed' }, 'cos_', ['dealName']), { subject: 'Renamed' });
    assert.equal(leadBody(referral, 'cos_').cos_referralid, 'ref-1');
    assert.equal(leadStatusBody(status({ status: 'New', substatus: 'Pending' }), 'cos_').statecode, undefined);
    assert.deepEqual([leadStatusBody(status({ status: 'Closed', substatus: 'Declined' }), 'cos_').statecode, leadStatusBody(status({ status: 'Closed', substatus: 'Declined' }), 'cos_').statuscode], [2, 7]);
    assert.equal(leadStatusBody(status({ status: 'Active', substatus: 'Accepted' }), 'cos_').cos_referralsubstatus, 'Accepted');
  });
});
