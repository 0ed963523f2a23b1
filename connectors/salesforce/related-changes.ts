/**
 * Changes to an opportunity's related records (team members, contact roles, solutions, partner invitations) do not move
 * the opportunity's own SystemModstamp in Salesforce, so the change feed also asks, once per run,
 * which opportunities have related rows changed since the last run: one Composite call with three
 * small queries. Those opportunities are read again with their latest related-row change as
 * `modifiedAt`, so that the engine sees them as changed.
 */
import type { SalesforceClient } from './client.js';
import { runCompositeQueries } from './composite-queries.js';
import { INVITATION_OBJECT, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from './custom-fields.js';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import { datetimeLiteral } from './soql.js';

/** Opportunity ID → the latest SystemModstamp among its related rows changed since `sinceIso`. */
export async function relatedChangesSince(client: SalesforceClient, sinceIso: string): Promise<Map<string, string>> {
  const ts = datetimeLiteral(sinceIso);
  const rows = await runCompositeQueries(client, {
    team: `SELECT OpportunityId, SystemModstamp FROM OpportunityTeamMember WHERE SystemModstamp >= ${ts}`,
    contactRoles: `SELECT OpportunityId, SystemModstamp FROM OpportunityContactRole WHERE SystemModstamp >= ${ts}`,
    solutions: `SELECT ${SOLUTION_PARENT_FIELD}, SystemModstamp FROM ${SOLUTION_OBJECT} WHERE SystemModstamp >= ${ts}`,
    invitations: `SELECT ${SOLUTION_PARENT_FIELD}, SystemModstamp FROM ${INVITATION_OBJECT} WHERE SystemModstamp >= ${ts}`,
  });
  const latest = new Map<string, string>();
  const note = (id: unknown, stamp: unknown) => {
    const at = sfDatetimeToIso(stamp);
    if (typeof id !== 'string' || !at) return;
    const seen = latest.get(id);
    if (!seen || Date.parse(at) > Date.parse(seen)) latest.set(id, at);
  };
  for (const r of [...rows.team!, ...rows.contactRoles!]) note(r.OpportunityId, r.SystemModstamp);
  for (const r of [...rows.solutions!, ...rows.invitations!]) note(r[SOLUTION_PARENT_FIELD], r.SystemModstamp);
  return latest;
}
