/**
 * A mapped Opportunity field that field-level security hides from the integration user (Salesforce leaves
 * it out of describe and answers a query naming it "No such column"): `cosell check` fails, naming the
 * field, the mapping behind it and the fix (grant access), not "does not exist, fix fieldOverrides"; and a
 * sync says the same instead of a bare INVALID_FIELD.
 */
import assert from 'node:assert/strict';
import { startCliWorld, type CliWorld } from '../helpers/cli.js';

describe('cosell check: a mapped field hidden by field-level security (the real binary, salesforce)', function () {
  this.timeout(120_000);
  let world: CliWorld;

  before(async () => {
    world = await startCliWorld('salesforce');
    world.set.salesforce.store.hiddenFields.add('Opportunity.Amount');
  });
  after(async () => world?.close());

  it('FAILs the field mapping line naming Opportunity.Amount, the canonical field and field-level security', async () => {
    const result = await world.cli(['check']);
    assert.notEqual(result.code, 0, 'a failed check exits non-zero');
    const line = result.stdout.split('\n').find((l) => l.includes('Field mapping')) ?? '';
    assert.match(line, /FAIL/, result.stdout);
    assert.match(line, /Opportunity\.Amount \(value\)/, line);
    assert.match(line, /field-level security/i, line);
    assert.doesNotMatch(line, /do not exist\. Fix fieldOverrides/, 'not blamed on the mapping: the field exists, the user cannot see it');
  });
});
