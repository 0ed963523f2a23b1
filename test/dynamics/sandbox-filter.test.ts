/** The Dataverse sandbox's OData `$filter` parser and evaluator. */
import assert from 'node:assert/strict';
import { evaluateFilter, parseFilter } from '../../sandbox/dataverse/odata-filter.js';

const row = { name: "O'Bryan Ltd", revenue: 5000, city: 'Seattle', modifiedon: '2026-01-02T10:00:00Z', _parentaccountid_value: 'a0000000-0000-4000-8000-000000000001', donotemail: false, fax: null };
const matches = (filter: string) => evaluateFilter(parseFilter(filter), row);

describe('Dataverse sandbox: $filter', () => {
  it('compares with eq, ne, gt, ge, lt and le, strings case-insensitively', () => {
    assert.ok(matches("name eq 'o''bryan ltd'"));
    assert.ok(matches('revenue gt 4999 and revenue ge 5000 and revenue lt 5001 and revenue le 5000'));
    assert.ok(matches("city ne 'Redmond'"));
    assert.ok(!matches('revenue gt 5000'));
    assert.ok(matches('fax eq null') && matches('donotemail eq false'));
  });

  it('compares datetimes as instants and GUIDs unquoted', () => {
    assert.ok(matches('modifiedon ge 2026-01-02T09:59:59Z and modifiedon lt 2026-01-03'));
    assert.ok(matches('_parentaccountid_value eq A0000000-0000-4000-8000-000000000001'));
  });

  it('combines with and, or, not and parentheses, and binds and tighter than or', () => {
    assert.ok(matches("(contains(name,'bryan') or contains(name,'test')) and revenue gt 100"));
    assert.ok(matches("city eq 'x' and revenue eq 1 or startswith(city,'sea')"));
    assert.ok(!matches("not endswith(city,'TTLE')"));
  });

  it('evaluates Microsoft.Dynamics.CRM.In with either quote style', () => {
    assert.ok(matches('Microsoft.Dynamics.CRM.In(PropertyName=\'city\',PropertyValues=["Redmond","SEATTLE"])'));
    assert.ok(!matches("Microsoft.Dynamics.CRM.In(PropertyName='city',PropertyValues=['Redmond'])"));
    assert.ok(matches('Microsoft.Dynamics.CRM.In(PropertyName=\'revenue\',PropertyValues=["4000","5000"])'), 'values are strings, converted to the column type');
  });

  it('refuses malformed expressions with a message', () => {
    assert.throws(() => parseFilter("name eq 'open"), /Unterminated/);
    assert.throws(() => parseFilter('revenue gtx 5'), /comparison operator/);
    assert.throws(() => parseFilter('unknownfn(name,1)'), /Unknown function/);
    assert.throws(() => parseFilter('(revenue eq 1'), /Unexpected end/);
  });
});
