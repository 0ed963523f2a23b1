/**
 * Changes to an opportunity's related records (team members, contact roles, solutions, partner invitations,
 * and the account and contacts a deal's customer is read from) do not move the opportunity's own
 * SystemModstamp in Salesforce, so the change feed also asks, once per run, which opportunities have
 * related rows changed since the last run: five small queries in the feed's first Composite call
 * (first-round.ts); the account and the contacts through a parent-relationship filter
 * (`Account.SystemModstamp`, `Contact.SystemModstamp`). Those opportunities are read again with their
 * latest related-row change as `modifiedAt`, so that the engine sees them as changed.
 */
import type { SfRecord } from './assemble.js';
import { INVITATION_OBJECT, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from './custom-fields.js';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import { datetimeLiteral } from './soql.js';

/**
 * The five queries, by object; `extra` narrows them to rows not written by the connector (feed-window.ts).
 * For the account and the contacts the same condition is asked of the parent record itself
 * (`Account.LastModifiedById`, `Contact.SystemModstamp`), since it is their change that counts.
 */
export function relatedChangeQueries(sinceIso: string, extra?: string): Record<'team' | 'contactRoles' | 'solutions' | 'invitations' | 'accounts', string> {
  const ts = datetimeLiteral(sinceIso);
  const where = `SystemModstamp >= ${ts}${extra ? ` AND ${extra}` : ''}`;
  const onParent = (parent: string) => `${parent}.SystemModstamp >= ${ts}${extra ? ` AND ${extra.replace(/\b(LastModifiedById|SystemModstamp)\b/g, `${parent}.$1`)}` : ''}`;
  return {
    team: `SELECT OpportunityId, SystemModstamp FROM OpportunityTeamMember WHERE ${where}`,
    contactRoles: `SELECT OpportunityId, SystemModstamp, Contact.SystemModstamp, Opportunity.SystemModstamp FROM OpportunityContactRole WHERE (${where}) OR (${onParent('Contact')})`,
    solutions: `SELECT ${SOLUTION_PARENT_FIELD}, SystemModstamp FROM ${SOLUTION_OBJECT} WHERE ${where}`,
    invitations: `SELECT ${SOLUTION_PARENT_FIELD}, SystemModstamp FROM ${INVITATION_OBJECT} WHERE ${where}`,
    accounts: `SELECT Id, SystemModstamp, Account.SystemModstamp FROM Opportunity WHERE ${onParent('Account')}`,
  };
}

/** Opportunity ID → the latest SystemModstamp among the related rows the queries returned. */
export function latestByParent(rows: Readonly<Record<string, readonly SfRecord[]>>): Map<string, string> {
  const latest = new Map<string, string>();
  const note = (id: unknown, stamp: unknown) => {
    const at = sfDatetimeToIso(stamp);
    if (typeof id !== 'string' || !at) return;
    const seen = latest.get(id);
    if (!seen || Date.parse(at) > Date.parse(seen)) latest.set(id, at);
  };
  const parentStamp = (parent: unknown) => (parent as { SystemModstamp?: unknown } | null | undefined)?.SystemModstamp;
  for (const r of [...(rows.team ?? []), ...(rows.contactRoles ?? [])]) note(r.OpportunityId, r.SystemModstamp);
  // An account or contact counts only when it changed after the opportunity itself: the feed read the
  // opportunity, with its customer as it then was, at or after the opportunity's own stamp.
  const after = (stamp: unknown, own: unknown) => (Date.parse(String(stamp)) > Date.parse(String(own)) ? stamp : undefined);
  for (const r of rows.contactRoles ?? []) note(r.OpportunityId, after(parentStamp(r.Contact), parentStamp(r.Opportunity)));
  for (const r of [...(rows.solutions ?? []), ...(rows.invitations ?? [])]) note(r[SOLUTION_PARENT_FIELD], r.SystemModstamp);
  for (const r of rows.accounts ?? []) note(r.Id, after(parentStamp(r.Account), r.SystemModstamp));
  return latest;
}
