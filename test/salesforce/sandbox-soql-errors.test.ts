/**
 * SOQL errors as Salesforce words them: the query line, a caret under the offending token and
 * "ERROR at Row:R:Column:C" before the reason, for MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE alike:
 *   "\nSELECT Naem FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Naem' on entity 'Account'. …"
 *   "SELECT ,    FROM hed__Facility__c\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FROM'"
 * (the forms the connector's own error classification is written against, test/salesforce/error-classification.test.ts).
 */
import assert from 'node:assert/strict';
import { type SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { seededSandboxWithToken, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce sandbox SOQL errors', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  let sb: SalesforceSandbox;
  let token: string;
  const query = async (soql: string) => {
    const res = await fetch(`${sb.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Array<{ errorCode: string; message: string }> };
  };
  const located = (line: string, column: number, reason: string) => `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:1:Column:${column}\n${reason}`;

  before(async () => {
    ({ harness: h, sandbox: sb, token } = await seededSandboxWithToken());
  });
  after(() => h?.close());

  it('names the unexpected token of a malformed query, and where it is', async () => {
    const cases: Array<[string, number, string]> = [
      ['SELECT Id, FROM Opportunity', 12, "unexpected token: 'FROM'"],
      ['SELECT Id FROM Opportunity WHERE Name = foo', 41, "unexpected token: 'foo'"],
      ['SELECT Id FROM Opportunity LIMIT abc', 34, "unexpected token: 'abc'"],
    ];
    for (const [soql, column, reason] of cases) {
      const { status, body } = await query(soql);
      assert.equal(status, 400, soql);
      assert.deepEqual(body, [{ message: located(soql, column, reason), errorCode: 'MALFORMED_QUERY' }], soql);
    }
  });

  it('puts the caret under an unknown field and an unknown object', async () => {
    const field = 'SELECT Id, Nme FROM Opportunity';
    assert.deepEqual((await query(field)).body, [{
      errorCode: 'INVALID_FIELD',
      message: located(field, 12, "No such column 'Nme' on entity 'Opportunity'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."),
    }]);
    const type = 'SELECT Id FROM Opportunityx';
    assert.deepEqual((await query(type)).body, [{
      errorCode: 'INVALID_TYPE',
      message: located(type, 16, "sObject type 'Opportunityx' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."),
    }]);
  });

  // "Maximum length of SOQL statements: by default, 100,000 characters". A statement that long cannot travel in
  // a URL (16,384 bytes), so it is sent as a Composite subrequest, whose url is in the body (as the connector's are).
  it('refuses a statement over 100,000 characters, and runs one at the limit', async () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `'0065g${String(i).padStart(13, '0')}'`).join(', ');
    const statement = (n: number) => `SELECT Id FROM Opportunity WHERE Id IN (${ids(n)})`;
    const atLimit = statement(4_543);
    const over = statement(4_544);
    assert.ok(atLimit.length <= 100_000 && over.length > 100_000, `${atLimit.length} ${over.length}`);
    const composite = async (soql: string) => {
      const res = await fetch(`${sb.url}/services/data/v62.0/composite`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ compositeRequest: [{ method: 'GET', url: `/services/data/v62.0/query/?q=${encodeURIComponent(soql)}`, referenceId: 'q' }] }),
      });
      return ((await res.json()) as { compositeResponse: Array<{ httpStatusCode: number; body: unknown }> }).compositeResponse[0]!;
    };
    assert.equal((await composite(atLimit)).httpStatusCode, 200);
    const refused = await composite(over);
    assert.equal(refused.httpStatusCode, 400);
    assert.equal((refused.body as Array<{ errorCode: string }>)[0]!.errorCode, 'MALFORMED_QUERY');
  });
});
