/**
 * Changes to an opportunity's related records (team members, contact roles, solutions, partner invitations,
 * and the account and contacts a deal's customer is read from) do not move the opportunity's own
 * SystemModstamp in Salesforce, so the change feed also asks, once per run, which opportunities have
 * related rows changed since the last run: four small queries in the feed's first Composite call
 * (first-round.ts), the team members' users and the contacts through parent-relationship filters
 * (`User.SystemModstamp`, `Contact.SystemModstamp`); the
 * accounts through the listing's own query (`Account.SystemModstamp`, account-changes.ts), since a fifth
 * related query made six query operations in that call, one over Salesforce's limit (composite-limits.ts). Those opportunities are read again with their
 * latest related-row change as `modifiedAt`, so that the engine sees them as changed.
 *
 * Each changed row carries a version (issue 13): a hash of what the deal is built from (the row's fields,
 * the contact's or the account's; `relatedRowVersion`), the one the reader remembers in the related-row
 * index once the engine has processed the deal. A row whose version is remembered, for a deal the engine
 * holds settled, carries nothing new (feed-window.ts `unseenChanges`): the re-read margin lists it again,
 * but it costs no opportunity read.
 *
 * Deleted rows (`READ_WITH_DELETED`): contact roles, solution rows and invitations deleted on their own are
 * listed by the same queries, through QueryAll, which returns rows still in the Recycle Bin with `IsDeleted`
 * true and their deletion's time as SystemModstamp (getDeleted's `deletedDate` "is obtained using the
 * SystemModstamp system field"). getDeleted alone listed a row a run late when it was deleted after the
 * window's end, which must be named before the call (the server's time as of the last `Date` header seen,
 * the previous run's in a long-running process; seconds ignored); these queries have no end and see every
 * row deleted before they run. Team members skip the Recycle Bin: getDeleted only (deletion-feed.ts).
 */
import type { SfRecord } from './assemble.js';
import { INVITATION_OBJECT, SOLUTION_OBJECT, SOLUTION_PARENT_FIELD } from '../../mappings/custom-fields.salesforce.js';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import { relatedRowVersion } from './row-version.js';
import { CONTACT_ROLE_FIELDS, datetimeLiteral, INVITATION_QUERY_FIELDS, SOLUTION_QUERY_FIELDS, TEAM_FIELDS } from './soql.js';
import { laterInstant, noteLatestChange } from '../latest-change.js';
import { foldCondition, SAVED_BY, stampedParentStamp, type RelatedFold } from './fold-related.js';

export type RelatedChangeKind = 'team' | 'contactRoles' | 'solutions' | 'invitations' | 'accounts';

/** The kinds asked by a related-change query of their own; account changes come with the listing's rows. */
export type RelatedQueryKind = Exclude<RelatedChangeKind, 'accounts'>;

/** The related queries sent as QueryAll: their objects keep deleted rows in the Recycle Bin. */
export const READ_WITH_DELETED: ReadonlySet<RelatedChangeKind> = new Set(['contactRoles', 'solutions', 'invitations']);

/** The version of a related row found deleted: never the version of a row the deal was read with. */
export const DELETED_ROW_VERSION = 'deleted';

/** One related row the queries found changed. */
export interface RelatedChange {
  /** The row's key in the related-row index: the row ID, or `accountKey(opportunity ID)` for its account. */
  key: string;
  version: string;
  parentId: string;
  /** The change's time: the latest stamp that counts for the deal. */
  at: string;
}

const unique = (fields: readonly string[]) => [...new Set(fields)];

/** The related-row index's key for an opportunity's account, as read with that opportunity. */
export const accountKey = (opportunityId: string) => `${opportunityId}.account`;

/**
 * The four queries, by object; `extra` narrows the related rows themselves to rows not written by the
 * connector (feed-window.ts). The contacts are asked by their own stamp, not narrowed: see below. Each
 * selects the fields the deal is built from, for the version.
 */
export function relatedChangeQueries(sinceIso: string, extra?: string, fold?: RelatedFold): Record<RelatedQueryKind, string> {
  const ts = datetimeLiteral(sinceIso);
  const where = `SystemModstamp >= ${ts}${extra ? ` AND ${extra}` : ''}`;
  // Folded: who saved each row, for telling a change from a row read only for its deal (fold-related.ts).
  const select = (fields: readonly string[]) => unique([...fields, 'SystemModstamp', ...(fold && extra ? [SAVED_BY] : [])]).join(', ');
  // The change condition, and with a fold the folded deals' rows too (fold-related.ts), as another term of an OR.
  const condition = (kind: RelatedQueryKind, change: string) => (fold ? `(${change}) OR ${foldCondition(kind, fold)}` : change);
  return {
    // A team member is read with its User's name, email and phone: an edit of the User (its SystemModstamp
    // moves) changes the deal of every team the user is on. Not narrowed to other users' writes, as the
    // contact (below); the connector never writes a User.
    team: `SELECT ${select([...TEAM_FIELDS, 'User.SystemModstamp'])} FROM OpportunityTeamMember WHERE ${condition('team', `(${where}) OR (User.SystemModstamp >= ${ts})`)}`,
    // The contact is not narrowed to other users' writes either, for the same reason as the account
    // (account-changes.ts): a contact the connector edited through one deal (Partner Center changed that
    // referral's contact) changed for every deal whose primary contact it is. Left out, the write fell before
    // the run's own-writes mark whenever the run wrote it early (with a create, before its listing) and the
    // other deals' referrals kept the old contact under synced (test/e2e/shared-contact-edit.test.ts). A role
    // the connector wrote itself is still left out: it belongs to the deal written, which holds it.
    contactRoles: `SELECT ${select([...CONTACT_ROLE_FIELDS, 'Contact.SystemModstamp', 'IsDeleted'])} FROM OpportunityContactRole WHERE ${condition('contactRoles', `(${where}) OR (Contact.SystemModstamp >= ${ts})`)}`,
    solutions: `SELECT ${select([...SOLUTION_QUERY_FIELDS, 'IsDeleted'])} FROM ${SOLUTION_OBJECT} WHERE ${condition('solutions', where)}`,
    invitations: `SELECT ${select([...INVITATION_QUERY_FIELDS, 'IsDeleted'])} FROM ${INVITATION_OBJECT} WHERE ${condition('invitations', where)}`,
  };
}

const parentStamp = (parent: unknown) => (parent as { SystemModstamp?: unknown } | null | undefined)?.SystemModstamp;

/** The changed rows the queries returned, with their versions. Pure. */
export function relatedChanges(rows: Readonly<Partial<Record<RelatedChangeKind, readonly SfRecord[]>>>): RelatedChange[] {
  const changes: RelatedChange[] = [];
  const note = (key: string, parentId: unknown, at: string | undefined, row: Record<string, unknown>) => {
    // `IsDeleted` is asked only here, not when a deal is read: a live row's version leaves it out, so that it
    // matches the version the row was read with.
    const { IsDeleted: deleted, [SAVED_BY]: _savedBy, ...versioned } = row;
    if (typeof parentId === 'string' && at) changes.push({ key, parentId, at, version: deleted === true ? DELETED_ROW_VERSION : relatedRowVersion(versioned) });
  };
  // The user's or the contact's change counts whenever it is later than the row's own, as the account's does
  // (below): the version the deal was last read with tells a change already taken (a User save that changed
  // none of the name, email and phone leaves the version as it was: no opportunity read).
  for (const kind of ['team', 'contactRoles'] as const) {
    for (const r of rows[kind] ?? []) note(r.Id, r.OpportunityId, laterInstant(sfDatetimeToIso(r.SystemModstamp), sfDatetimeToIso(stampedParentStamp(kind, r))), r);
  }
  for (const r of [...(rows.solutions ?? []), ...(rows.invitations ?? [])]) note(r.Id, r[SOLUTION_PARENT_FIELD], sfDatetimeToIso(r.SystemModstamp), r);
  // Every account change counts, not only one after the opportunity's own stamp: the connector's write to the
  // opportunity (a sync status) can follow its write to the shared account through another deal in the same
  // run, and that deal was never read with the new account (until 2026-12-06 its referral never took it:
  // model seed 1711). The version the deal was last read with tells an account change already taken.
  for (const r of rows.accounts ?? []) note(accountKey(r.Id), r.Id, sfDatetimeToIso(parentStamp(r.Account)), { Account: r.Account });
  return changes;
}

/** Opportunity ID → the latest change among its related rows. */
export function latestByParent(changes: readonly RelatedChange[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const c of changes) noteLatestChange(latest, c.parentId, c.at);
  return latest;
}
