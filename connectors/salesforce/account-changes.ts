/**
 * Opportunities whose account changed since the last run, found by the listing's own query (2026-12-07). An
 * account's change does not move its opportunities' SystemModstamp; it was asked by a query of its own in the
 * feed's first Composite call, the sixth query operation there, one over Salesforce's limit
 * (composite-limits.ts). The listing is an Opportunity query too, so it asks instead:
 *
 *   SELECT <fields>, Account.SystemModstamp, LastModifiedById FROM Opportunity
 *   WHERE (<the listing's window>) OR Account.SystemModstamp >= <since> ORDER BY SystemModstamp, Id
 *
 * and each row whose account's stamp is at or after `since` is an account change (related-changes.ts
 * `relatedChanges`, the same key, time and version as the query it replaces). Rows that came only for their
 * account are told from the listing's by the window's own condition (folded-listing.ts `listedByWindow`, hence
 * `LastModifiedById`) and never reach its pages, position or watermark; the fields added here are taken off
 * every row before anything else reads it (they are no part of the opportunity's version: row-version.ts).
 * A continuation after a position keeps the account condition after that position only: the rows before it
 * were read.
 *
 * Not narrowed to other users' writes: an account the connector wrote through one deal (a customer name
 * changed in that deal's referral) changed for every other deal of the account, whose referral must take it.
 * The deal it was written through costs nothing once read: its version is known (feed-window.ts
 * `unseenChanges`).
 */
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import type { SfRecord } from './assemble.js';
import { relatedChanges, type RelatedChange } from './related-changes.js';
import { afterCondition, changesQuery, datetimeLiteral, type FeedPosition } from './soql.js';

export const ACCOUNT_STAMP = 'Account.SystemModstamp';
export const MODIFIED_BY = 'LastModifiedById';

/** What the listing asks besides its own rows. */
export interface AccountWatch {
  /** Account changes at or after this instant count (the related-change window's start). */
  since: string;
  /** The fields the watch adds to the listing's select, taken off each row again. */
  added: readonly string[];
}

const selects = (fields: readonly string[], name: string) => fields.some((f) => f.toLowerCase() === name.toLowerCase());

export function accountWatch(fields: readonly string[], since: string): AccountWatch {
  return { since, added: [ACCOUNT_STAMP, MODIFIED_BY].filter((f) => !selects(fields, f)) };
}

/** The listing's select with the watch's fields. */
export function watchedFields(fields: readonly string[], watch: AccountWatch | undefined): string[] {
  return watch ? [...fields, ...watch.added] : [...fields];
}

export const accountChanged = (watch: AccountWatch) => `${ACCOUNT_STAMP} >= ${datetimeLiteral(watch.since)}`;

/**
 * The account changes among `rows` (any rows of the listing's query), the watch's fields taken off each row
 * (in place: the rows are the query's own, read once).
 */
export function takeAccountChanges(rows: readonly SfRecord[], watch: AccountWatch): RelatedChange[] {
  const since = Date.parse(watch.since);
  const changed: SfRecord[] = [];
  const stampAdded = watch.added.includes(ACCOUNT_STAMP);
  const modifiedByAdded = watch.added.includes(MODIFIED_BY);
  for (const row of rows) {
    const account = row.Account as Record<string, unknown> | null | undefined;
    if (account && typeof account === 'object') {
      if (Date.parse(sfDatetimeToIso(account.SystemModstamp) ?? '') >= since) changed.push({ Id: row.Id, Account: { ...account } } as SfRecord);
      if (stampAdded) delete account.SystemModstamp;
    }
    if (modifiedByAdded) delete (row as Record<string, unknown>)[MODIFIED_BY];
  }
  return relatedChanges({ accounts: changed });
}

/**
 * The listing's query: from `from`, narrowed by `narrow` (feed-window.ts), with the account condition when
 * watched; `after`: a continuation after that position (a cut or a new start), the account condition kept
 * after it only. Without `from` every opportunity is listed (a first run, a deletion gap).
 */
export function listingQuery(fields: readonly string[], from: FeedPosition | undefined, narrow: string | undefined, watch: AccountWatch | undefined, after?: FeedPosition): string {
  if (!watch) return changesQuery(fields, after ?? from, narrow);
  const select = watchedFields(fields, watch);
  if (after) return changesQuery(select, after, narrow ? `(${narrow} OR ${accountChanged(watch)})` : undefined);
  if (!from) return changesQuery(select, undefined);
  const window = narrow ? `${afterCondition(from)} AND ${narrow}` : afterCondition(from);
  return `SELECT ${select.join(', ')} FROM Opportunity WHERE (${window}) OR ${accountChanged(watch)} ORDER BY SystemModstamp ASC, Id ASC`;
}
