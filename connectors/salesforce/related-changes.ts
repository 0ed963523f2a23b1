/**
 * Changes to an opportunity's related records (team members, contact roles, solutions, partner invitations,
 * and the account and contacts a deal's customer is read from) do not move the opportunity's own
 * SystemModstamp in Salesforce, so the change feed also asks, once per run, which opportunities have
 * related rows changed since the last run: one Composite call with five small queries (the account and
 * the contacts through a parent-relationship filter, `Account.SystemModstamp`, `Contact.SystemModstamp`). Those opportunities are read again with their latest related-row change as
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
    contactRoles: `SELECT OpportunityId, SystemModstamp, Contact.SystemModstamp, Opportunity.SystemModstamp FROM OpportunityContactRole WHERE SystemModstamp >= ${ts} OR Contact.SystemModstamp >= ${ts}`,
    solutions: `SELECT ${SOLUTION_PARENT_FIELD}, SystemModstamp FROM ${SOLUTION_OBJECT} WHERE SystemModstamp >= ${ts}`,
    invitations: `SELECT ${SOLUTION_PARENT_FIELD}, SystemModstamp FROM ${INVITATION_OBJECT} WHERE SystemModstamp >= ${ts}`,
    accounts: `SELECT Id, SystemModstamp, Account.SystemModstamp FROM Opportunity WHERE Account.SystemModstamp >= ${ts}`,
  });
  const latest = new Map<string, string>();
  const note = (id: unknown, stamp: unknown) => {
    const at = sfDatetimeToIso(stamp);
    if (typeof id !== 'string' || !at) return;
    const seen = latest.get(id);
    if (!seen || Date.parse(at) > Date.parse(seen)) latest.set(id, at);
  };
  const parentStamp = (parent: unknown) => (parent as { SystemModstamp?: unknown } | null | undefined)?.SystemModstamp;
  for (const r of [...rows.team!, ...rows.contactRoles!]) note(r.OpportunityId, r.SystemModstamp);
  // An account or contact counts only when it changed after the opportunity itself: the feed read the
  // opportunity, with its customer as it then was, at or after the opportunity's own stamp.
  const after = (stamp: unknown, own: unknown) => (Date.parse(String(stamp)) > Date.parse(String(own)) ? stamp : undefined);
  for (const r of rows.contactRoles!) note(r.OpportunityId, after(parentStamp(r.Contact), parentStamp(r.Opportunity)));
  for (const r of [...rows.solutions!, ...rows.invitations!]) note(r[SOLUTION_PARENT_FIELD], r.SystemModstamp);
  for (const r of rows.accounts!) note(r.Id, after(parentStamp(r.Account), r.SystemModstamp));
  return latest;
}
