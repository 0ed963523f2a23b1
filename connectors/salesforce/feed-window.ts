/**
 * Where a Salesforce change window starts and what it leaves out (issue 13). Pure.
 *
 * - **Anchored to the server's clock.** A run that listed the feed to its end stores `readAt`, the
 *   server's time (the `Date` header) when that listing began: every change committed before it was
 *   listed. The next window starts `rereadSeconds` (the margin for transactions still in flight, whose
 *   SystemModstamp is earlier than their commit) before `readAt`, not before the newest row read — after
 *   a bulk change the newest row is the bulk, and every idle run re-read it.
 * - **The connector's own writes are not read back.** Inside the window, rows whose last change is the
 *   integration user's own write made before `ownThrough` (the server's time after the run's last write)
 *   are left out by the query itself (`LastModifiedById`): the engine wrote them and holds what they say.
 *   A write cannot hide a seller's change made between the engine's read and its write, because the
 *   writer checks each record's SystemModstamp just before it writes (write.ts): a record that changed in
 *   between is listed in `recheck` and read again by ID, whoever changed it last.
 *
 * Assumption (UNVERIFIED against a live org): the integration user writes opportunities only through
 * this connector's sync runs. Another tool signed in as the same user would have its edits made during a
 * run treated as the connector's own.
 */
import type { CrmCursor } from '../../core/engine/crm-port.js';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import type { SfRecord } from './assemble.js';
import type { RelatedChange } from './related-changes.js';
import { datetimeLiteral, inList, quoteId, type FeedPosition } from './soql.js';

/** The listing's position a cursor holds (the last row handed on), if any. */
export function cursorToPosition(cursor: CrmCursor | undefined): FeedPosition | undefined {
  if (!cursor) return undefined;
  const { modstamp, id } = cursor;
  return typeof modstamp === 'string' && typeof id === 'string' ? { modstamp, id } : undefined;
}

/** A cursor without the window anchor (it is replaced as a whole). */
export function withoutAnchor(cursor: CrmCursor): CrmCursor {
  const { readAt: _r, ownThrough: _o, userId: _u, recheck: _c, versionRun: _v, ...rest } = cursor;
  return rest;
}

export function positionOf(record: SfRecord): FeedPosition {
  return { modstamp: sfDatetimeToIso(record.SystemModstamp) ?? '', id: record.Id };
}

/** At most this many records are carried for a re-read by ID; beyond it the window simply keeps its own writes. */
export const MAX_RECHECK = 200;

export interface FeedWindow {
  /** The window's start, inclusive. */
  since: string;
  /** A SOQL condition that leaves the connector's own writes out, if the cursor allows it. */
  opportunities?: string;
  /** The same for related objects (their own rows, no recheck list). */
  related?: string;
  /** What `opportunities` says, as values (folded-listing.ts tells the rows it lists from others by it). */
  own?: { userId: string; ownThrough: string; recheck: readonly string[] };
}

/** The server-anchored part of a cursor. */
export interface AnchorFields {
  readAt?: string;
  ownThrough?: string;
  userId?: string;
  /** Comma-separated record IDs to read again whoever changed them last. */
  recheck?: string;
  /** The run whose related-row versions become known once this anchor is committed (related-versions.ts). */
  versionRun?: string;
}

const ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

export function anchorOf(cursor: Readonly<Record<string, unknown>> | undefined): AnchorFields {
  const fields: AnchorFields = {};
  for (const key of ['readAt', 'ownThrough', 'userId', 'recheck', 'versionRun'] as const) {
    const value = cursor?.[key];
    const isTime = key === 'readAt' || key === 'ownThrough';
    if (typeof value === 'string' && (!isTime || !Number.isNaN(Date.parse(value)))) fields[key] = value;
  }
  return fields;
}

/** The window a run reads, when the cursor has a server anchor; undefined for older cursors. */
export function windowFrom(anchor: AnchorFields, marginMs: number): FeedWindow | undefined {
  if (!anchor.readAt) return undefined;
  const since = new Date(Date.parse(anchor.readAt) - marginMs).toISOString();
  if (!anchor.ownThrough || !anchor.userId || !ID.test(anchor.userId)) return { since };
  const notOurs = `LastModifiedById != ${quoteId(anchor.userId)}`;
  const afterOurs = `SystemModstamp >= ${datetimeLiteral(anchor.ownThrough)}`;
  const recheck = (anchor.recheck ?? '').split(',').filter((id) => ID.test(id));
  return {
    since,
    opportunities: `(${[notOurs, afterOurs, ...(recheck.length ? [`Id IN ${inList(recheck, quoteId)}`] : [])].join(' OR ')})`,
    related: `(${notOurs} OR ${afterOurs})`,
    own: { userId: anchor.userId, ownThrough: anchor.ownThrough, recheck },
  };
}

/** The anchor a run stores after listing to the end and making its writes. */
export function anchorAfterRun(input: { readAt: string | undefined; ownThrough: string | undefined; userId: string | undefined; recheck: ReadonlySet<string>; versionRun?: string }): AnchorFields {
  if (!input.readAt) return {};
  // Too many records to re-read by ID: keep the connector's own writes in the next window instead.
  const own = input.ownThrough && input.userId && input.recheck.size <= MAX_RECHECK;
  return {
    readAt: input.readAt,
    ...(own ? { ownThrough: input.ownThrough!, userId: input.userId!, ...(input.recheck.size ? { recheck: [...input.recheck].join(',') } : {}) } : {}),
    ...(input.versionRun ? { versionRun: input.versionRun } : {}),
  };
}

/**
 * The related-row changes that carry something new: a row whose version the related-row index holds (the
 * version of the row when the engine last processed its deal), for a deal the engine holds settled, costs
 * nothing, as a known opportunity version does; a row of a deal whose related rows the engine ignores now
 * (`KnownVersions.ignoresRelatedRows`) costs nothing whatever its version. Without `isSettled` nothing
 * else is left out. Pure.
 */
export function unseenChanges(changes: readonly RelatedChange[], known: ReadonlyMap<string, string>, isSettled: ((crmId: string) => boolean) | undefined, ignored?: (crmId: string) => boolean): RelatedChange[] {
  const wanted = ignored ? changes.filter((c) => !ignored(c.parentId)) : changes;
  if (!isSettled) return [...wanted];
  return wanted.filter((c) => known.get(c.key) !== c.version || !isSettled(c.parentId));
}
