/** The `$filter` tokenizer, parser and evaluator on their own. */
import assert from 'node:assert/strict';
import { evaluate } from '../../sandbox/partner-center/odata/evaluate.js';
import { parseFilter } from '../../sandbox/partner-center/odata/parser.js';
import { FilterSyntaxError, tokenize } from '../../sandbox/partner-center/odata/tokenizer.js';

const PROPS = new Set(['status', 'substatus', 'team', 'customerProfile', 'updatedDateTime', 'name', 'details']);
const matches = (filter: string, record: unknown) => evaluate(parseFilter(filter, PROPS), record);

describe('Partner Center sandbox: OData $filter', () => {
  const referral = {
    status: 'New',
    substatus: 'Pending',
    name: "O'Brien deal",
    updatedDateTime: '2026-11-01T10:00:00Z',
    details: { dealValue: 5000 },
    customerProfile: { address: { country: 'US' } },
    team: [{ email: 'R2D2@contoso.com' }, { email: 'c3po@contoso.com' }],
  };

  it('tokenizes quoted strings with doubled quotes, date-times and paths', () => {
    assert.deepEqual(
      tokenize("name eq 'O''Brien' and updatedDateTime gt 2026-01-01T00:00:00Z").map((t) => (t.kind === 'end' ? 'end' : `${t.kind}:${String(t.value)}`)),
      ['word:name', 'word:eq', "string:O'Brien", 'word:and', 'word:updatedDateTime', 'word:gt', 'datetime:2026-01-01T00:00:00Z', 'end'],
    );
  });

  it('evaluates comparisons, precedence (and before or), not, parentheses and lambdas', () => {
    assert.equal(matches("status eq 'new'", referral), true, 'enum comparisons ignore case');
    assert.equal(matches("status eq 'Active' or status eq 'New' and substatus eq 'Pending'", referral), true);
    assert.equal(matches("(status eq 'Active' or status eq 'New') and substatus eq 'Received'", referral), false);
    assert.equal(matches("not (substatus eq 'Received')", referral), true);
    assert.equal(matches("team/any(t:t/email eq 'r2d2@contoso.com')", referral), true);
    assert.equal(matches("team/all(t:endswith(t/email, '@contoso.com'))", referral), true);
    assert.equal(matches('team/any()', referral), true);
    assert.equal(matches("customerProfile/address/country ne 'DE'", referral), true);
    assert.equal(matches('details/dealValue ge 5000 and details/dealValue lt 5001', referral), true);
    assert.equal(matches("name eq 'O''Brien deal'", referral), true);
    assert.equal(matches("contains(tolower(name), 'brien')", referral), true);
    assert.equal(matches('customerProfile/size eq null', referral), true);
  });

  it('compares date-times as instants, quoted or not', () => {
    assert.equal(matches('updatedDateTime gt 2026-11-01T09:59:59.999Z', referral), true);
    assert.equal(matches("updatedDateTime ge '2026-11-01T11:00:00+01:00'", referral), true);
    assert.equal(matches('updatedDateTime lt 2026-11-01', referral), false);
  });

  it('refuses what it does not understand, saying where', () => {
    for (const bad of ["status eq 'New", 'status eq', 'colour eq 1', "status has 'x'", "status eq 'New')", 'team/some(t:t/email eq 1)', 'status eq $x', "substringof('a', name)"]) {
      assert.throws(() => parseFilter(bad, PROPS), FilterSyntaxError, bad);
    }
  });
});
