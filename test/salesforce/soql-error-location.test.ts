/**
 * Where the sandbox puts the caret of a SOQL error (sandbox/salesforce/errors.ts locatedInQuery): under the
 * token, or at the query's start when the token is not found in it. A query opening with a line break whose
 * token was not found made the caret's indent negative: the sandbox answered 500 (a RangeError) instead of the error.
 */
import assert from 'node:assert/strict';
import { locatedInQuery, SfFault } from '../../sandbox/salesforce/errors.js';

describe('Salesforce sandbox: the caret of a SOQL error', () => {
  it('goes to the start of the query when the token is not in it, a leading line break included', () => {
    const fault = new SfFault(400, 'INVALID_FIELD', "No such column 'Nme'", [], 'Nme');
    assert.equal(locatedInQuery('SELECT Id FROM Opportunity', fault).message, "\nSELECT Id FROM Opportunity\n^\nERROR at Row:1:Column:1\nNo such column 'Nme'");
    assert.equal(locatedInQuery('\nSELECT Id FROM Opportunity', fault).message, "\n\n^\nERROR at Row:1:Column:1\nNo such column 'Nme'");
  });

  it('goes under the token on a later line', () => {
    const fault = new SfFault(400, 'INVALID_FIELD', "No such column 'Nme'", [], 'Nme');
    assert.equal(locatedInQuery('SELECT Id,\n  Nme FROM Opportunity', fault).message, "\n  Nme FROM Opportunity\n  ^\nERROR at Row:2:Column:3\nNo such column 'Nme'");
  });
});
