/**
 * Pure SOQL builders. Values are never interpolated raw: strings go through `quote`, datetimes through
 * `datetimeLiteral` (which keeps milliseconds, unlike jsforce's SfDate.toDateTimeLiteral), IDs are
 * checked against the ID pattern. SOQL literals:
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm
 */
import { INVITATION_FIELDS, INVITATION_OBJECT, SOLUTION_FIELDS, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';

/** A quoted SOQL string literal: backslash, quote and control characters escaped. */
export function quote(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (ch) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' })[ch]!);
  return `'${escaped}'`;
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** A Salesforce record ID in its 15- or 18-character form (what `quoteId` accepts). */
export function isRecordId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function quoteId(id: string): string {
  if (!isRecordId(id)) throw new Error(`not a Salesforce record ID: ${JSON.stringify(id)}`);
  return `'${id}'`;
}

/** An unquoted SOQL datetime literal in UTC with milliseconds: 2024-05-01T10:00:00.123Z. */
export function datetimeLiteral(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a datetime: ${JSON.stringify(iso)}`);
  return new Date(ms).toISOString();
}

export function inList(values: readonly string[], quoteFn: (v: string) => string = quote): string {
  return `(${values.map(quoteFn).join(', ')})`;
}

/** A position in the change feed: the last record read. */
export interface FeedPosition {
  modstamp: string;
  id: string;
}

/**
 * Records strictly after `from`: (SystemModstamp > ts) OR (SystemModstamp = ts AND Id > id). A position
 * without an Id means "from this time on, inclusive" (the start of a re-read window).
 */
export function afterCondition(from: FeedPosition): string {
  const ts = datetimeLiteral(from.modstamp);
  if (from.id === '') return `(SystemModstamp >= ${ts})`;
  return `((SystemModstamp > ${ts}) OR (SystemModstamp = ${ts} AND Id > ${quoteId(from.id)}))`;
}

/** The later of two feed positions. */
export function laterPosition(a: FeedPosition, b: FeedPosition): FeedPosition {
  if (a.modstamp !== b.modstamp) return Date.parse(a.modstamp) > Date.parse(b.modstamp) ? a : b;
  return a.id > b.id ? a : b;
}

/** Records up to and including `to`. */
export function upToCondition(to: FeedPosition): string {
  const ts = datetimeLiteral(to.modstamp);
  return `((SystemModstamp < ${ts}) OR (SystemModstamp = ${ts} AND Id <= ${quoteId(to.id)}))`;
}

/** The window of one page: after `from` (if any) and up to `to`. */
export function windowCondition(from: FeedPosition | undefined, to: FeedPosition): string {
  return from ? `${afterCondition(from)} AND ${upToCondition(to)}` : upToCondition(to);
}

/** The listing, after `from`, narrowed by `extra` (feed-window.ts: leave the connector's own writes out). */
export function changesQuery(fields: readonly string[], from: FeedPosition | undefined, extra?: string): string {
  const conditions = [...(from ? [afterCondition(from)] : []), ...(extra ? [extra] : [])];
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${fields.join(', ')} FROM Opportunity${where} ORDER BY SystemModstamp ASC, Id ASC`;
}

export function byIdsQuery(fields: readonly string[], ids: readonly string[]): string {
  return `SELECT ${fields.join(', ')} FROM Opportunity WHERE Id IN ${inList(ids, quoteId)}`;
}

/**
 * How related queries select their opportunities: a page window, as a semi-join. (Reads by ID select the
 * related rows as subqueries of the opportunity query instead: deals-by-id.ts.)
 */
export interface OpportunityScope {
  window: string;
}

function scopeCondition(field: string, scope: OpportunityScope): string {
  return `${field} IN (SELECT Id FROM Opportunity WHERE ${scope.window})`;
}

export const CONTACT_ROLE_FIELDS = ['Id', 'OpportunityId', 'ContactId', 'IsPrimary', 'Contact.FirstName', 'Contact.LastName', 'Contact.Email', 'Contact.Phone'];
export const TEAM_FIELDS = ['Id', 'OpportunityId', 'UserId', 'TeamMemberRole', 'User.FirstName', 'User.LastName', 'User.Email', 'User.Phone'];
export const SOLUTION_QUERY_FIELDS = ['Id', 'Name', SOLUTION_PARENT_FIELD, SOLUTION_FIELDS.solutionId, SOLUTION_FIELDS.kind, SOLUTION_FIELDS.price, SOLUTION_FIELDS.quantity, SOLUTION_FIELDS.currency, SOLUTION_FIELDS.incentiveEligible, SOLUTION_FIELDS.assessmentLocation];

export const INVITATION_QUERY_FIELDS = ['Id', SOLUTION_PARENT_FIELD, ...Object.values(INVITATION_FIELDS)];

/** The related-record queries of one page: primary contact roles, team members, solutions, partner invitations. */
export function relatedQueries(scope: OpportunityScope): { contactRoles: string; team: string; solutions: string; invitations: string } {
  return {
    invitations: `SELECT ${INVITATION_QUERY_FIELDS.join(', ')} FROM ${INVITATION_OBJECT} WHERE ${scopeCondition(SOLUTION_PARENT_FIELD, scope)} ORDER BY ${SOLUTION_PARENT_FIELD} ASC, Id ASC`,
    contactRoles: `SELECT ${CONTACT_ROLE_FIELDS.join(', ')} FROM OpportunityContactRole WHERE IsPrimary = true AND ${scopeCondition('OpportunityId', scope)}`,
    team: `SELECT ${TEAM_FIELDS.join(', ')} FROM OpportunityTeamMember WHERE ${scopeCondition('OpportunityId', scope)} ORDER BY OpportunityId ASC, Id ASC`,
    solutions: `SELECT ${SOLUTION_QUERY_FIELDS.join(', ')} FROM ${SOLUTION_OBJECT} WHERE ${scopeCondition(SOLUTION_PARENT_FIELD, scope)} ORDER BY ${SOLUTION_PARENT_FIELD} ASC, Id ASC`,
  };
}
