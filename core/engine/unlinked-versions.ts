/**
 * The versions the engine's own writes left on CRM records it keeps neither a link nor a park for: the
 * status emptied on a record that is not opted in (a seller's copy of a synced record carries its status:
 * shown-status.ts `clearedStatusWrite`). Such a record has nowhere else to keep the version, so until
 * 2026-12-07 the next listing took that write for a change and read the record back in full (issue 13:
 * test/e2e/status-write-read-back.test.ts). Kept in one meta entry, read once per run when a listed record
 * has no link or park (echoes.ts), and written at the commit of the page that made the write.
 *
 * An entry is needed only until the feeds have listed the write and their re-read margins have passed it
 * (Salesforce's 300 s, Dataverse's five minutes): entries are kept a day, at most {@link MAX_KEPT}, the
 * newest first, so that the entry stays small however many copies are made.
 */
import type { CrmWrite, CrmWriteResult } from './crm-port.js';
import type { CrmStatusWrite } from './crm-write-types.js';
import type { AsyncStoreTransaction } from '../store/async-state-store.js';
import type { PageOutcome } from './page-outcome.js';
import { crmVersionLeft } from './parking.js';

export const UNLINKED_VERSIONS_META = 'crm.unlinked_own_versions';
const KEPT_MS = 24 * 60 * 60_000;
export const MAX_KEPT = 1000;

/** By CRM record ID: the version the engine's write left, and when. */
export type UnlinkedVersions = Readonly<Record<string, { etag: string; at: string }>>;

/** The stored entry as versions; anything else (absent, or not of this form) is none. Pure. */
export function parseUnlinkedVersions(value: unknown): UnlinkedVersions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, { etag: string; at: string }> = {};
  for (const [crmId, v] of Object.entries(value as Record<string, unknown>)) {
    const entry = v as { etag?: unknown; at?: unknown } | null;
    if (entry && typeof entry.etag === 'string' && typeof entry.at === 'string') out[crmId] = { etag: entry.etag, at: entry.at };
  }
  return out;
}

/**
 * `versions` with each of `updates` (its record at `etag` as of `nowIso`; undefined: the write was not the
 * engine's own, the entry goes), entries older than a day dropped, the newest {@link MAX_KEPT} kept. Pure.
 */
export function withUnlinkedVersions(versions: UnlinkedVersions, updates: readonly { crmId: string; etag: string | undefined }[], nowIso: string): UnlinkedVersions {
  const oldest = new Date(Date.parse(nowIso) - KEPT_MS).toISOString();
  const updated = new Set(updates.map((u) => u.crmId));
  const entries = Object.entries(versions).filter(([id, v]) => !updated.has(id) && v.at >= oldest);
  for (const { crmId, etag } of updates) if (etag !== undefined) entries.push([crmId, { etag, at: nowIso }]);
  entries.sort((a, b) => (a[1].at < b[1].at ? 1 : a[1].at > b[1].at ? -1 : 0));
  return Object.fromEntries(entries.slice(0, MAX_KEPT));
}

/**
 * Keeps the versions a page's writes that empty an unlinked record's status (`cleared`, made on the version
 * read: `etag`) leave, in one read and one write of the entry at the page's commit.
 */
export function rememberUnlinkedWrites(outcome: PageOutcome, writes: readonly CrmWrite[], nowIso: string): void {
  const clears = writes.filter((w): w is CrmStatusWrite => w.kind === 'status' && w.cleared === true);
  if (clears.length === 0) return;
  outcome.apply.push(async (tx: AsyncStoreTransaction, results: ReadonlyMap<string, CrmWriteResult>) => {
    const before = parseUnlinkedVersions(await tx.getMeta(UNLINKED_VERSIONS_META));
    const updates = clears.map((w) => ({ crmId: w.crmId, etag: crmVersionLeft(w.etag, results.get(w.key)) }));
    if (updates.every((u) => u.etag === undefined && before[u.crmId] === undefined)) return;
    await tx.putMeta(UNLINKED_VERSIONS_META, withUnlinkedVersions(before, updates, nowIso), nowIso);
  });
}
