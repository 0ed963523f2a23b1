/**
 * The CRM's label for a canonical path, as the reasons on a record show it (core/rules/field-labels.ts),
 * and both CRMs' label tables (mappings/labels.<crm>.ts) cover every path the rules and mappings name.
 */
import assert from 'node:assert/strict';
import { fieldLabel, fieldLabels, labelAndPath, readableName } from '../../../core/rules/field-labels.js';
import { describeViolations, error } from '../../../core/rules/violation.js';
import { labelsOf as salesforceLabels } from '../../../mappings/labels.salesforce.js';
import { labelsOf as dynamicsLabels } from '../../../mappings/labels.dynamics.js';
import { effectiveFieldTable as salesforceTable } from '../../../mappings/fields.salesforce.js';
import { effectiveFieldTable as dynamicsTable } from '../../../mappings/fields.dynamics.js';
import { SYNC_FIELDS } from '../../../mappings/field-ownership.js';

const sf = salesforceLabels(salesforceTable());
const d365 = dynamicsLabels(dynamicsTable('cosell_'));

describe('CRM field labels in messages (pure)', () => {
  it('names a field by its label and keeps the rule code', () => {
    const v = [error('format.value_positive', 'value', 'The estimated value must be a positive amount; it is 0.')];
    assert.equal(describeViolations(v, sf), 'Amount: The estimated value must be a positive amount; it is 0. [format.value_positive]');
    assert.equal(describeViolations(v, d365), 'Est. Revenue: The estimated value must be a positive amount; it is 0. [format.value_positive]');
    assert.equal(describeViolations(v), 'value: The estimated value must be a positive amount; it is 0. [format.value_positive]', 'logs keep the canonical path');
  });

  it('names related records: the account, the contact, the team and the connector\'s child rows', () => {
    assert.equal(fieldLabel('customer.country', sf), 'Billing Country (Account)');
    assert.equal(fieldLabel('customer.country', d365), 'Country/Region (Account)');
    assert.equal(fieldLabel('customer.city', d365), 'City (Account)');
    assert.equal(fieldLabel('customerContact.email', sf), 'Email (primary contact)');
    assert.equal(fieldLabel('customerContact.phone', d365), 'Business Phone (Contact)');
    assert.equal(fieldLabel('team[1].email', sf), 'Email (Opportunity Team Member 2)');
    assert.equal(fieldLabel('team[0].phone', d365), 'Phone (Co-sell Team Member 1)');
    assert.equal(fieldLabel('solutions[2].price', sf), 'Price (Co-sell Solution 3)');
    assert.equal(fieldLabel('solutions', d365), 'Co-sell Solutions');
    assert.equal(fieldLabel('invitations[0].solutions', sf), 'Solutions (IDs) (Co-sell Partner Invitation 1)');
    assert.equal(fieldLabel('closeReason', sf), 'Decline or loss reason');
    assert.equal(fieldLabel('closeDate', d365), 'Est. Close Date');
    assert.equal(fieldLabel('salesStage', sf), 'Stage');
  });

  it('follows a field override to the field it names (its API name when the table has no label for it)', () => {
    assert.equal(fieldLabel('value', salesforceLabels(salesforceTable({ value: 'ExpectedRevenue__c' }))), 'ExpectedRevenue__c');
    assert.equal(fieldLabel('notes', salesforceLabels(salesforceTable({ notes: 'Cosell_Notes_To_Microsoft__c' }))), 'Notes to Microsoft');
  });

  it('spells out a path no label names, and labels each path of a list', () => {
    assert.equal(readableName('shareWithMicrosoftSellers'), 'Share with Microsoft sellers');
    assert.equal(fieldLabel('crmId', sf), 'CRM ID');
    assert.equal(fieldLabel('customerContact.middleName', {}), 'Customer contact middle name');
    assert.equal(fieldLabel('customerContact.middleName', sf), 'Contact Roles (primary contact): middle name');
    assert.equal(fieldLabels('value, closeDate', sf), 'Amount, Close Date');
  });

  it('names a field once when two paths share its label (Salesforce keeps the sales stage and the status in Stage)', () => {
    // A won deal the seller reopens differs in salesStage and status: the record said "not sent: Stage, Stage".
    assert.equal(fieldLabels('salesStage, status', sf), 'Stage');
    assert.equal(fieldLabels('salesStage, status', d365), 'Sales Stage, Status');
  });

  it('shows admins both the label and the canonical path', () => {
    assert.equal(labelAndPath('value', sf), 'Amount (value)');
    assert.equal(labelAndPath('value', {}), 'Value (value)');
  });

  it('labels every unit the merge syncs, and every field path the rules name, on both CRMs', () => {
    const paths = [...SYNC_FIELDS.map((f) => f.unit), 'status', 'substatus', 'closeReason', 'customerContact.email', 'team[0].email', 'solutions[0].assessmentLocation', 'invitations[0].value', 'invitations[0].closeDate', 'dealType', 'microsoft.status'];
    // Dynamics 365 maps no campaign field: that path keeps a readable canonical name.
    for (const [crm, labels, unmapped] of [['Salesforce', sf, []], ['Dynamics 365', d365, ['marketingCampaignId']]] as const) {
      const unnamed = paths.filter((p) => p !== 'crmId' && labels[p.replace(/\[\d+\]/g, '[]')] === undefined);
      assert.deepEqual(unnamed, unmapped, `${crm} names every field it maps`);
    }
    assert.equal(fieldLabel('marketingCampaignId', d365), 'Marketing campaign ID');
  });
});
