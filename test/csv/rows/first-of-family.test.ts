/**
 * "Solution 1" and "Team member 1" are mandatory columns ("Is mandatory? Yes"; the seed's sample error is
 * "Mandatory field Solution 1 missing"), and further ones go "next to solution 1" as Solution 2, 3…
 * A create whose solution or team member sits only in a later column, with "Solution 1" / "Team member 1"
 * empty or absent, is refused naming that first column, not created from the later one.
 */
import assert from 'node:assert/strict';
import { describeRowError } from '../../../core/csv/index.js';
import { csvText } from '../helpers/csv.js';
import { createRow, HEADER, importText } from './helpers.js';

const BOB = 'Bob, Partner, 999999, Bob.partner@Contoso.com';

describe('CSV import: Solution 1 and Team member 1 on a create', () => {
  const cases: Array<[string, string[], Record<string, string>, string]> = [
    ['Solution 1 empty, Solution 2 filled', [...HEADER, 'Solution 2'], { 'Solution 1': '', 'Solution 2': 'SOL-1234-PQRS' }, 'Row 2, column "Solution 1": is mandatory ("Is mandatory? Yes") and empty [csv.mandatory]'],
    ['no Solution 1 column, Solution 2 filled', [...HEADER.filter((h) => h !== 'Solution 1'), 'Solution 2'], { 'Solution 2': 'SOL-1234-PQRS' }, 'Row 2, column "Solution 1": is mandatory ("Is mandatory? Yes") and missing from the file [csv.mandatory]'],
    ['Team member 1 empty, Team member 2 filled', [...HEADER, 'Team member 2'], { 'Team member 1': '', 'Team member 2': BOB }, 'Row 2, column "Team member 1": is mandatory ("Is mandatory? Yes") and empty [csv.mandatory]'],
    ['no Team member 1 column, Team member 2 filled', [...HEADER.filter((h) => h !== 'Team member 1'), 'Team member 2'], { 'Team member 2': BOB }, 'Row 2, column "Team member 1": is mandatory ("Is mandatory? Yes") and missing from the file [csv.mandatory]'],
  ];
  for (const [name, header, cells, expected] of cases) {
    it(`refuses ${name}, naming the first column, and creates nothing`, async () => {
      const { gateway, result, errorsOf } = await importText(csvText(header, [createRow(cells)]));
      assert.equal(result.rows[0]!.outcome, 'not-processed');
      assert.ok(result.rows[0]!.errors.map(describeRowError).includes(expected), result.rows[0]!.errors.map(describeRowError).join('\n'));
      assert.match(errorsOf(0), /mandatory/);
      assert.equal(gateway.calls.create, 0);
    });
  }

  it('still creates a deal whose later columns are empty', async () => {
    const { result } = await importText(csvText([...HEADER, 'Solution 2', 'Team member 2'], [createRow({ 'Solution 2': '', 'Team member 2': '' })]));
    assert.equal(result.rows[0]!.outcome, 'created', result.rows[0]!.errors.map(describeRowError).join('\n'));
  });
});
