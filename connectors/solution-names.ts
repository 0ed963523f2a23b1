/**
 * A solution's name in a CRM's solution row. Both CRMs' rows need a name (Salesforce's Name, Dataverse's
 * primary name column), and Partner Center's SolutionTag name is optional (partner-center-api.md §1.7), so
 * a solution without one is written under its ID. Read back, that ID is the connector's placeholder, not a
 * name: taken for one, it went to Partner Center as the solution's name (and a row a seller added by ID
 * alone went with none), so the two sides told the same solution differently.
 */
import type { Solution } from '../core/model/referral.js';

/** The name column's value for `solution`: its name, or its ID when it has none. */
export function solutionRowName(solution: Pick<Solution, 'id' | 'name'>): string {
  return solution.name ?? solution.id;
}

/** The solution's name as read from its row: none when the column is empty or holds the ID. */
export function solutionNameOfRow(column: unknown, id: string): string | undefined {
  if (typeof column !== 'string') return undefined;
  const name = column.trim();
  return name === '' || name.toLowerCase() === id.trim().toLowerCase() ? undefined : column;
}
