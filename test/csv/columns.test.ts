/** The column table as data: names, order and flags exactly as the bulk CSV seed's table gives them. */
import assert from 'node:assert/strict';
import { COLUMNS, SOLUTION_FAMILY, TEAM_FAMILY } from '../../core/csv/index.js';
import { columnForField } from '../../core/csv/field-columns.js';
import { DOCUMENTED_COLUMNS } from './helpers/fixtures.js';

/** "Is mandatory?" per column, transcribed from the seed. */
const SEED_MANDATORY: Record<string, string> = {
  Errors: 'No', 'Engagement ID': 'No', 'Referral ID': 'No', 'Deal Name': 'Yes', 'Customer Name': 'Yes', 'Customer Address Line 1': 'Yes',
  'Customer Address Line 2': 'No', 'Customer City': 'Yes', 'Customer State': 'No', 'Customer Postal Code': 'No', 'Customer Country': 'Yes',
  'Customer D-U-N-S ID': 'No', 'Customer Contact First Name': 'Depends', 'Customer Contact Last Name': 'Depends', 'Customer Contact Phone number': 'Depends',
  'Customer Contact Email Address': 'Depends', 'Partner Referral Status': 'Yes', 'Partner Referral Substatus': 'Yes', 'Microsoft Referral Status': 'Depends',
  'Declined/Lost reason': 'Depends', 'Sales Stage': 'No', 'Estimated Deal Value': 'Yes', Currency: 'Yes', 'Estimated Close Date': 'Yes', 'CRM ID': 'No',
  'Marketing Campaign ID': 'No', Notes: 'No', 'Microsoft help required?': 'Yes', 'What specific help from Microsoft?': 'Depends',
  'Share with Microsoft sales team': 'Yes', 'Notes to Microsoft': 'No', 'Consent to share Customer/Partner contact': 'Yes',
};

describe('the CSV column table', () => {
  it('lists the documented columns in the documented order', () => {
    assert.deepEqual(COLUMNS.map((c) => c.name), [...DOCUMENTED_COLUMNS]);
  });

  it('carries the seed\'s "Is mandatory?" for every column, and Yes for Solution 1 and Team member 1', () => {
    assert.deepEqual(Object.fromEntries(COLUMNS.map((c) => [c.name, c.mandatory])), SEED_MANDATORY);
    assert.deepEqual([SOLUTION_FAMILY.firstMandatory, TEAM_FAMILY.firstMandatory, SOLUTION_FAMILY.max, TEAM_FAMILY.max], ['Yes', 'Yes', 50, 50]);
  });

  it('marks as read-only the columns import never writes: Errors, the two IDs, Microsoft Referral Status', () => {
    assert.deepEqual(COLUMNS.filter((c) => c.readOnly).map((c) => c.name), ['Errors', 'Engagement ID', 'Referral ID', 'Microsoft Referral Status']);
  });

  it('maps canonical field paths of rule violations back to column names', () => {
    assert.equal(columnForField('team[1].email'), 'Team member 2');
    assert.equal(columnForField('solutions[0].quantity'), 'Solution 1');
    assert.equal(columnForField('customer.country'), 'Customer Country');
    assert.equal(columnForField('customerContact.phone'), 'Customer Contact Phone number');
    assert.equal(columnForField('closeReason'), 'Declined/Lost reason');
    assert.equal(columnForField('consentToShareContacts'), 'Consent to share Customer/Partner contact');
    assert.equal(columnForField('location'), undefined, 'the CSV has no Location column');
  });
});
