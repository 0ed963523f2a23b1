/**
 * Changes to an opportunity's related records (team members, contact roles, solutions, partner invitations) do not move
 * the opportunity's own SystemModstamp in Salesforce, so the change feed also asks, once per run,
 * which opportunities have related rows changed since the last run: four small queries that go in the
 * feed's first Composite call (first-round.ts). Those opportunities are read again with their latest
 * related-row change as `modifiedAt`, so that the engine sees them as changed.
 */
import type { SfRecord } from './assemble.js';
import { INVITATION_OBJECT, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from './custom-fields.js';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import { datetimeLiteral } from './soql.js';

/** The four queries, by object; `extra` narrows them (feed-window.ts leaves the connector's own writes out). */
export function relatedChangeQueries(sinceIso: string, extra?: string): Record<'team' | 'contactRoles' | 'solutions' | 'invitations', string> {
  const where = `SystemModstamp >= ${datetimeLiteral(sinceIso)}${extra ? ` AND ${extra}` : ''}`;
  return {
    team: `SELECT OpportunityId, SystemModstamp FROM OpportunityTeamMember WHERE ${where}`,
    contactRoles: `SELECT OpportunityId, SystemModstamp FROM OpportunityContactRole WHERE ${where}`,
    solutions: `SELECT ${SOLUTION_PARENT_FIELD}, SystemModstamp FROM ${SOLUTION_OBJECT} WHERE ${where}`,
    invitations: `SELECT ${SOLUTION_PARENT_FIELD}, SystemModstamp FROM ${INVITATION_OBJECT} WHERE ${where}`,
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
  for (const r of [...(rows.team ?? []), ...(rows.contactRoles ?? [])]) note(r.OpportunityId, r.SystemModstamp);
  for (const r of [...(rows.solutions ?? []), ...(rows.invitations ?? [])]) note(r[SOLUTION_PARENT_FIELD], r.SystemModstamp);
  return latest;
}
