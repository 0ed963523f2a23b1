/**
 * Deletions since the last run, from Salesforce's getDeleted, for opportunities and for the related
 * objects a deal is built from (team members, contact roles, the connector's solution rows). Deleting a
 * related row does not move the opportunity's SystemModstamp, and the row is then gone from every query
 * (team members skip the Recycle Bin, so not even queryAll finds their opportunity): getDeleted names only
 * the row, so the opportunity is found in the related-row index the reader fills as it reads
 * (`RelatedRowIndex`, kept in the state store).
 *
 * getDeleted's rules (REST "sObject Get Deleted", SOAP getDeleted()): seconds are ignored; start must
 * precede end by more than one minute; only the last 15 days (counted from the start of the day) can be
 * asked for, else INVALID_REPLICATION_DATE; `latestDateCovered` is where the next window must start.
 */
import type { Logger } from '../../core/logger.js';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import type { RelatedRowIndex } from '../types.js';
import type { SalesforceClient } from './client.js';
import { INVITATION_OBJECT, SOLUTION_OBJECT } from './custom-fields.js';

/** The related objects whose deletions change a deal. */
export const RELATED_OBJECTS = ['OpportunityTeamMember', 'OpportunityContactRole', SOLUTION_OBJECT, INVITATION_OBJECT] as const;

const MINUTE = 60_000;
const DAY = 86_400_000;
/** getDeleted keeps 15 days; an hour's margin keeps a window clear of the boundary. */
const RETENTION_MS = 15 * DAY - 60 * MINUTE;
/** A row reported gone is kept this long: a deletion window can never reach further back. */
const KEEP_GONE_MS = 16 * DAY;
/** Windows shorter than this are widened backwards (start must precede end by more than a minute). */
const MIN_WINDOW_MS = 2 * MINUTE;

export interface DeletionWindow {
  start: string;
  end: string;
}

/** The window from `sinceIso` to now, clamped to what getDeleted keeps and widened to its minimum length. */
export function deletionWindow(sinceIso: string, nowMs: number): DeletionWindow {
  const since = Math.max(Date.parse(sinceIso), nowMs - RETENTION_MS);
  const start = Math.min(since, nowMs - MIN_WINDOW_MS);
  return { start: new Date(start).toISOString(), end: new Date(nowMs).toISOString() };
}

export interface Deletions {
  /** Deleted opportunities. */
  opportunityIds: string[];
  /** Opportunities whose related rows were deleted → the latest such deletion. */
  changedParents: Map<string, string>;
  /** Where the next window starts (the earliest `latestDateCovered` of the calls). */
  through: string;
  /**
   * The last run was longer ago than getDeleted keeps deletions: rows deleted in the gap cannot be listed,
   * so the caller must read every opportunity again to see what its related rows are now.
   */
  gap: boolean;
}

interface DeletedResult {
  deletedRecords: { id: string; deletedDate: string }[];
  latestDateCovered: string;
  earliestDateAvailable: string;
}

export class DeletionFeed {
  constructor(
    private readonly client: SalesforceClient,
    private readonly index: RelatedRowIndex,
    private readonly log: Logger,
  ) {}

  /** One getDeleted call per object type, all over the same window. */
  async since(sinceIso: string, nowMs: number): Promise<Deletions> {
    const window = deletionWindow(sinceIso, nowMs);
    const gap = Date.parse(sinceIso) < nowMs - RETENTION_MS;
    if (gap) this.log.warn({ event: 'salesforce.deletions_gap', since: sinceIso }, `The last sync read Salesforce's deletions at ${sinceIso}, longer ago than getDeleted keeps them (15 days): every opportunity is read again, so that related rows deleted in the gap are seen`);
    const opportunities = await this.deleted('Opportunity', window);
    const related = await Promise.all(RELATED_OBJECTS.map((type) => this.deleted(type, window)));
    const rows = related.flatMap((r) => r.deletedRecords);
    const parents = this.index.relatedParents(rows.map((r) => r.id));
    const changedParents = new Map<string, string>();
    for (const row of rows) {
      const parent = parents.get(row.id);
      const at = sfDatetimeToIso(row.deletedDate);
      if (!parent || !at) continue;
      const seen = changedParents.get(parent);
      if (!seen || Date.parse(at) > Date.parse(seen)) changedParents.set(parent, at);
    }
    const at = new Date(nowMs).toISOString();
    this.index.markRelatedGone([...parents.keys()], at);
    this.index.forgetRelatedGone(new Date(nowMs - KEEP_GONE_MS).toISOString());
    const covered = [opportunities, ...related].map((r) => sfDatetimeToIso(r.latestDateCovered) ?? window.start);
    const through = covered.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
    return { opportunityIds: opportunities.deletedRecords.map((d) => d.id), changedParents, through, gap };
  }

  private async deleted(type: string, window: DeletionWindow): Promise<DeletedResult> {
    try {
      const res = await this.client.deleted(type, window.start, window.end);
      const purgedAt = sfDatetimeToIso(res.earliestDateAvailable);
      if (purgedAt && Date.parse(purgedAt) > Date.parse(window.start)) {
        this.log.warn({ event: 'salesforce.deletions_purged', type, since: window.start, purgedAt }, `Salesforce purged ${type} deletions after ${window.start}; a deletion in that gap is missed until a full resync`);
      }
      return res;
    } catch (error) {
      if ((error as { context?: { serviceCode?: string } }).context?.serviceCode !== 'INVALID_REPLICATION_DATE') throw error;
      // Deletions older than getDeleted's 15 days cannot be listed: say so loudly and move on, rather than
      // failing every run from now on.
      this.log.warn({ event: 'salesforce.deletions_unavailable', type, since: window.start }, `${type} records deleted before Salesforce's 15-day getDeleted window cannot be listed; a deal changed that way stays as it was until a full resync`);
      return { deletedRecords: [], latestDateCovered: window.end, earliestDateAvailable: window.start };
    }
  }
}
