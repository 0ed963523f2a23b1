/**
 * The versions at which the turns of the Partner Center outage in progress left CRM records that have no
 * link (a deal ticked for sync during the outage, to be created after it): the version read when nothing
 * was written onto it, the one the waiting status written onto it left. A linked record told in the outage
 * keeps that in its link (`toldInOutage`); an unlinked one had nowhere to keep it, so until 2026-12-08 every
 * later turn of the outage listed it again (the cursor stays at the last full run, and the status write had
 * moved its version) and read it in full to write nothing (issue 13: test/e2e/outage-unlinked-reads.test.ts).
 *
 * Consulted by the outage's turns only (waiting-changes.ts): a full run never reads this entry, so the first
 * run after the outage reads the deal from the last full run's cursor as before and creates its referral.
 * What an outage turn decides for an unlinked record (waitingStatus) depends on the record alone, so the
 * same version needs no second read; a seller's save moves the version, and the record is read again.
 *
 * One meta entry, named by its outage's start (an entry of an earlier outage is none), deleted when the
 * outage ends (sync-engine.ts), at most {@link MAX_KEPT} records, the latest kept: a record left out only
 * costs its read again.
 */
import type { AsyncStoreTransaction } from '../store/async-state-store.js';
import type { Outage } from './partner-center-outage.js';

export const OUTAGE_VERSIONS_META = 'partnerCenter.outage.unlinked_versions';
/** Bounds the entry (read once per outage turn, written at each page that adds to it) for a bulk of deals ticked. */
export const MAX_KEPT = 5000;

/** By CRM record ID: the version an outage turn left the record at. */
export type OutageVersions = ReadonlyMap<string, string>;

/** The stored entry's versions when it is `outage`'s; anything else (absent, another outage's, damaged) is none. Pure. */
export function parseOutageVersions(value: unknown, outage: Outage): OutageVersions {
  const entry = value as { since?: unknown; versions?: unknown } | null | undefined;
  if (!entry || entry.since !== outage.since || entry.versions === null || typeof entry.versions !== 'object') return new Map();
  return new Map(Object.entries(entry.versions as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * `versions` with each of `updates` (its record left at `etag`; undefined: at no version the turn can call
 * its own, the entry goes), the latest last, the latest {@link MAX_KEPT} kept, as the entry to store. Pure.
 */
export function withOutageVersions(versions: OutageVersions, updates: readonly { crmId: string; etag: string | undefined }[], outage: Outage): { since: string; versions: Record<string, string> } {
  const next = new Map(versions);
  for (const { crmId, etag } of updates) {
    next.delete(crmId);
    if (etag !== undefined) next.set(crmId, etag);
  }
  return { since: outage.since, versions: Object.fromEntries([...next].slice(-MAX_KEPT)) };
}

/** Keeps a page's `updates` in the entry, in one read and one write of it, within the page's commit. */
export async function rememberOutageVersions(tx: AsyncStoreTransaction, updates: readonly { crmId: string; etag: string | undefined }[], outage: Outage, nowIso: string): Promise<void> {
  const before = parseOutageVersions(await tx.getMeta(OUTAGE_VERSIONS_META), outage);
  if (updates.every((u) => before.get(u.crmId) === u.etag)) return;
  await tx.putMeta(OUTAGE_VERSIONS_META, withOutageVersions(before, updates, outage), nowIso);
}
