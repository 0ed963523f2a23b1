/**
 * The numbered column families. Bulk CSV seed:
 * - "Solution 1 | Yes | Solution ID (Required), The currency (Optional) …, Price of the SKU (Optional)
 *   and Quantity of the SKU (Optional)", sample `SOL-1234-PQRS, USD, 10, 100`;
 * - "Team member 1 | Yes | First name, Last name, mobile number, and email ID of the respective team
 *   member", sample `Bob, Partner, 999999, Bob.partner@Contoso.com`;
 * - "For adding more solutions, add extra columns next to solution 1 and use the column name as Solution
 *   X … You can add up to 50 solutions to a deal" (and the same for team members).
 *
 * Parts are separated by commas, so a part cannot itself contain a comma.
 */
import { MAX_SOLUTIONS, MAX_TEAM_MEMBERS } from '../rules/index.js';
import type { Contact, Solution } from '../model/index.js';
import { formatNumber, joinParts, parseNumber, splitParts, type CellContext } from './cells.js';
import { characterCount, TEXT_LIMITS } from './limits.js';
import { CellError } from './errors.js';

/** A solution as a CSV cell carries it; kind and name come from the deal (or default for a new one). */
export type CsvSolution = Pick<Solution, 'id' | 'currency' | 'price' | 'quantity'>;

export interface FamilySpec<T> {
  /** `Solution` or `Team member`: the header is `${prefix} ${n}`. */
  readonly prefix: string;
  /** Header pattern, tolerant of case and spacing; group 1 is N. */
  readonly header: RegExp;
  readonly max: number;
  /** "Is mandatory?" of the first column (`Solution 1`, `Team member 1`: Yes); later ones are optional. */
  readonly firstMandatory: 'Yes';
  /** The canonical collection: `solutions[i]` / `team[i]` violations are reported on the i-th column. */
  readonly collection: 'solutions' | 'team';
  parse(text: string, ctx: CellContext): T;
  format(item: T): string;
}

/** Partner Center solution IDs look like `SOL-1234-PQRS` or `SOL-Microsoft365` (partner-center-api.md §1.7). */
const SOLUTION_ID = /^SOL-[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const SOLUTION_FAMILY: FamilySpec<CsvSolution> = {
  prefix: 'Solution',
  header: /^solution\s*(\d+)$/i,
  max: MAX_SOLUTIONS,
  firstMandatory: 'Yes',
  collection: 'solutions',
  parse(text) {
    const parts = splitParts(text);
    if (parts.length > 4) throw new CellError('csv.solution_parts', `"${text}" has ${parts.length} parts; a solution is "Solution ID, currency, price, quantity" (4 parts at most)`);
    const [id = '', currency = '', price = '', quantity = ''] = parts;
    if (id === '') throw new CellError('csv.solution_id', `"${text}" has no solution ID; the solution ID is required (e.g. SOL-1234-PQRS)`);
    if (!SOLUTION_ID.test(id)) throw new CellError('csv.solution_id', `"${id}" is not a Partner Center solution ID (SOL-…, e.g. SOL-1234-PQRS)`);
    const solution: CsvSolution = { id };
    if (currency !== '') solution.currency = currency.toUpperCase();
    // Parts are comma-separated, so a decimal comma can never be part of a price here.
    try {
      if (price !== '') solution.price = parseNumber(price, { decimalComma: false });
      if (quantity !== '') solution.quantity = parseNumber(quantity, { decimalComma: false });
    } catch (e) {
      throw new CellError('csv.solution_amounts', `${(e as Error).message} (price and quantity of solution ${id})`);
    }
    return solution;
  },
  format: (s) => joinParts([s.id, s.currency ?? '', formatNumber(s.price), formatNumber(s.quantity)]),
};

export const TEAM_FAMILY: FamilySpec<Contact> = {
  prefix: 'Team member',
  header: /^team\s*member\s*(\d+)$/i,
  max: MAX_TEAM_MEMBERS,
  firstMandatory: 'Yes',
  collection: 'team',
  parse(text) {
    const parts = splitParts(text);
    if (parts.length !== 4) {
      throw new CellError('csv.team_member_parts', `"${text}" has ${parts.length} part(s); a team member is "First name, Last name, mobile number, email" (4 parts)`);
    }
    const [firstName = '', lastName = '', phone = '', email = ''] = parts;
    // Each part is the same free text as the customer contact's column of that name, with its limit.
    const named: [string, string, string][] = [['first name', firstName, 'Customer Contact First Name'], ['last name', lastName, 'Customer Contact Last Name'], ['mobile number', phone, 'Customer Contact Phone number'], ['email', email, 'Customer Contact Email Address']];
    for (const [what, value, like] of named) {
      const limit = TEXT_LIMITS.get(like);
      const length = characterCount(value);
      if (limit && length > limit.max) throw new CellError('csv.too_long', `the team member's ${what} is ${length} characters long; it takes at most ${limit.max} (${limit.source})`);
    }
    return { firstName, lastName, phone, email };
  },
  format: (m) => [m.firstName, m.lastName, m.phone, m.email].join(', '),
};

export const FAMILIES = [SOLUTION_FAMILY, TEAM_FAMILY] as const;
