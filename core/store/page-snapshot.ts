/**
 * A page's records read from a synchronous store (`StateStore.pageSnapshot`, what `loadPage` answers):
 * links by either ID, then the intents, parked records and open conflicts of every CRM ID and referral ID
 * of the page and of the links found. Two ways to read the same thing: point lookups (the in-memory store,
 * where each is a map read) and SQLite's few set queries (one statement per kind of record instead of
 * seven per ID: a page of 2,000 deals made about 28,000 statement calls).
 */
import { linkVersionOf, type LinkVersion, type PageKeys, type PageSnapshot, type VersionSnapshot } from './async-state-store.js';
import { rowToConflict, rowToIntent, rowToLink, rowToLinkVersion, rowToParked } from './sqlite-rows.js';
import type { Statements } from './sqlite-statements.js';
import type { Link, StateStore, StoredRecords } from './state-store.js';

export type { PageKeys, PageSnapshot, VersionSnapshot };

type Lookups = Pick<StateStore, 'getLinkByCrmId' | 'getLinkByReferralId' | 'getIntent' | 'getParked' | 'openConflictFor'>;

/** The page's CRM IDs and referral IDs, with those of the links found (each once). */
function pageIds(keys: PageKeys, links: Iterable<LinkVersion>): { crmIds: string[]; referralIds: string[] } {
  const crmIds = new Set(keys.crmIds ?? []);
  const referralIds = new Set(keys.referralIds ?? []);
  for (const link of links) {
    crmIds.add(link.crmId);
    referralIds.add(link.referralId);
  }
  return { crmIds: [...crmIds], referralIds: [...referralIds] };
}

/** {@link StateStore.pageSnapshot} by point lookups. */
export function snapshotByLookup(store: Lookups, keys: PageKeys): PageSnapshot {
  const links = new Map<string, Link>();
  for (const crmId of keys.crmIds ?? []) {
    const link = store.getLinkByCrmId(crmId);
    if (link) links.set(link.crmId, link);
  }
  for (const referralId of keys.referralIds ?? []) {
    const link = store.getLinkByReferralId(referralId);
    if (link) links.set(link.crmId, link);
  }
  const { crmIds, referralIds } = pageIds(keys, links.values());
  const defined = <T>(values: (T | undefined)[]): T[] => values.filter((v): v is T => v !== undefined);
  return {
    links: [...links.values()],
    intents: defined([...crmIds.map((id) => store.getIntent('referral', id)), ...referralIds.map((id) => store.getIntent('crm', id))]),
    parked: defined([...crmIds.map((id) => store.getParked('crm', id)), ...referralIds.map((id) => store.getParked('partner-center', id))]),
    openConflicts: defined(crmIds.map((id) => store.openConflictFor(id))),
  };
}

/** {@link StateStore.pageSnapshot} on SQLite: the same records, one set query per kind. */
export function sqlitePageSnapshot(sql: Statements, keys: PageKeys): PageSnapshot {
  const links = new Map<string, Link>();
  for (const row of sql.linksFor.all(JSON.stringify(keys.crmIds ?? []), JSON.stringify(keys.referralIds ?? []))) {
    const link = rowToLink(row);
    links.set(link.crmId, link);
  }
  const { crmIds, referralIds } = pageIds(keys, links.values());
  const crmJson = JSON.stringify(crmIds);
  const referralJson = JSON.stringify(referralIds);
  return {
    links: [...links.values()],
    intents: sql.intentsFor.all(crmJson, referralJson).map(rowToIntent),
    parked: sql.parkedOnSides.all(crmJson, referralJson).map(rowToParked),
    openConflicts: sql.openConflictsFor.all(crmJson).map(rowToConflict),
  };
}

/** {@link StateStore.recordsFor} on SQLite: links naming any of `ids`, records parked under them, their open conflicts. */
export function sqliteRecordsFor(sql: Statements, ids: readonly string[]): StoredRecords {
  const json = JSON.stringify(ids);
  return { links: sql.linksFor.all(json, json).map(rowToLink), parked: sql.parkedFor.all(json).map(rowToParked), openConflicts: sql.openConflictsFor.all(json).map(rowToConflict) };
}

/** {@link StateStore.versionSnapshot} by point lookups: the page snapshot without bases, statuses and intents. */
export function versionsByLookup(store: Lookups, keys: PageKeys): VersionSnapshot {
  const { links, parked, openConflicts } = snapshotByLookup(store, keys);
  return { links: links.map(linkVersionOf), parked, openConflicts };
}

/** {@link StateStore.versionSnapshot} on SQLite: the links' version columns only, then the same parked records and conflicts. */
export function sqliteVersionSnapshot(sql: Statements, keys: PageKeys): VersionSnapshot {
  const links = sql.linkVersionsFor.all(JSON.stringify(keys.crmIds ?? []), JSON.stringify(keys.referralIds ?? [])).map(rowToLinkVersion);
  const { crmIds, referralIds } = pageIds(keys, links);
  const crmJson = JSON.stringify(crmIds);
  return { links, parked: sql.parkedOnSides.all(crmJson, JSON.stringify(referralIds)).map(rowToParked), openConflicts: sql.openConflictsFor.all(crmJson).map(rowToConflict) };
}
