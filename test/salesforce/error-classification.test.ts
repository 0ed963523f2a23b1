/**
 * How the Salesforce adapter names a query refused for a missing field: one of the connector's own fields or
 * objects means `cosell setup salesforce` has not run; any other missing field stays a validation error.
 */
import assert from 'node:assert/strict';
import { toConnectorError } from '../../connectors/salesforce/errors.js';
import { RemoteValidationError, SetupMissingError } from '../../core/errors.js';

/** An error as jsforce builds it from Salesforce's `[{message, errorCode}]` body. */
const jsforceError = (errorCode: string, message: string) => Object.assign(new Error(message), { name: errorCode, errorCode });

describe('Salesforce adapter: error classification', () => {
  it("reads INVALID_FIELD on one of the connector's Opportunity fields as setup missing, naming the field and the command", () => {
    const error = toConnectorError(
      jsforceError('INVALID_FIELD', "\nSELECT Id, Cosell_Referral_Id__c FROM Opportunity\n           ^\nERROR at Row:1:Column:12\nNo such column 'Cosell_Referral_Id__c' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."),
      'a query',
    );
    assert.ok(error instanceof SetupMissingError, error.message);
    assert.equal(error.code, 'setup_missing');
    assert.equal(error.missing, 'Opportunity.Cosell_Referral_Id__c');
    assert.match(error.message, /Salesforce is not set up for the connector yet: Opportunity\.Cosell_Referral_Id__c does not exist .*Run `cosell setup salesforce`.*`cosell check`/);
  });

  it("reads the connector's missing custom object or child relationship as setup missing", () => {
    const object = toConnectorError(jsforceError('INVALID_TYPE', "sObject type 'Cosell_Solution__c' is not supported. If you are attempting to use a custom object, be sure to append the '__c'."), 'a query');
    assert.ok(object instanceof SetupMissingError && object.missing === 'Cosell_Solution__c', object.message);
    const relationship = toConnectorError(jsforceError('INVALID_TYPE', "Didn't understand relationship 'Cosell_Partner_Invitations__r' in FROM part of query call."), 'a query');
    assert.ok(relationship instanceof SetupMissingError && relationship.missing === 'Cosell_Partner_Invitations__r', relationship.message);
  });

  it('leaves INVALID_FIELD on a field that is not the connector\'s as a validation error', () => {
    for (const message of ["No such column 'Region__c' on entity 'Opportunity'.", "No such column 'Cosell_Referral_Id__c' on entity 'Account'."]) {
      const error = toConnectorError(jsforceError('INVALID_FIELD', message), 'a query');
      assert.ok(error instanceof RemoteValidationError && !(error instanceof SetupMissingError), error.message);
      assert.equal(error.code, 'remote_validation');
    }
  });

  it('says that a standard field Salesforce calls missing is hidden by field-level security, and to run cosell check', () => {
    const error = toConnectorError(jsforceError('INVALID_FIELD', "No such column 'Amount' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."), 'reading listing');
    assert.ok(error instanceof RemoteValidationError, error.message);
    assert.match(error.message, /Opportunity\.Amount.*field-level security.*`cosell check`/);
  });
});
