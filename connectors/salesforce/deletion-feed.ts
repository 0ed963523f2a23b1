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
import { opportunitiesOfDeletedRows } from '../related-row-deletions.js';
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
  /** The window was cut to what getDeleted keeps (deletionsGap): some deletions cannot be listed. */
  gap?: boolean;
}

/** The window from `sinceIso` to now, clamped to what getDeleted keeps and widened to its minimum length. */
/** The last read of deletions was longer ago than getDeleted keeps them: deletions in between cannot be listed. */
export function deletionsGap(sinceIso: string, nowMs: number): boolean {
  return Date.parse(sinceIso) < nowMs - RETENTION_MS;
}

export function deletionWindow(sinceIso: string, nowMs: number): DeletionWindow {
  const since = Math.max(Date.parse(sinceIso), nowMs - RETENTION_MS);
  const start = Math.min(since, nowMs - MIN_WINDOW_MS);
  return { start: new Date(start).toISOString(), end: new Date(nowMs).toISOString(), gap: deletionsGap(sinceIso, nowMs) };
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

export interface DeletedResult {
  deletedRecords: { id: string; deletedDate: string }[];
  latestDateCovered: string;
  earliestDateAvailable: string;
}

/** One getDeleted request of a window, as a Composite subrequest (read.ts sends them with the feed's first query). */
export interface DeletionRequest {
  type: string;
  url: string;
}

/** A getDeleted answer, or the error Salesforce gave for it. */
export type DeletionAnswer = { ok: true; body: DeletedResult } | { ok: false; serviceCode?: string; error: Error };

export class DeletionFeed {
  constructor(
    private readonly client: SalesforceClient,
    private readonly index: RelatedRowIndex,
    private readonly log: Logger,
  ) {}

  /** The getDeleted requests for the window from `sinceIso` to now: opportunities first, then each related object. */
  requests(sinceIso: string, nowMs: number): { window: DeletionWindow; requests: DeletionRequest[] } {
    const window = deletionWindow(sinceIso, nowMs);
    // Salesforce's documented format: 2013-05-05T00:00:00+00:00 (UTC, whole seconds).
    const fmt = (iso: string) => encodeURIComponent(new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00'));
    const base = `/services/data/v${this.client.apiVersion}`;
    const requests = ['Opportunity', ...RELATED_OBJECTS].map((type) => ({ type, url: `${base}/sobjects/${type}/deleted/?start=${fmt(window.start)}&end=${fmt(window.end)}` }));
    return { window, requests };
  }

  /** One getDeleted call per object type, all over the same window. */
  async since(sinceIso: string, nowMs: number): Promise<Deletions> {
    const { window, requests } = this.requests(sinceIso, nowMs);
    const answers = await Promise.all(
      requests.map(async (r): Promise<DeletionAnswer> => {
        try {
          return { ok: true, body: await this.client.deleted(r.type, window.start, window.end) };
        } catch (error) {
          return { ok: false, error: error as Error, ...(serviceCodeOf(error) ? { serviceCode: serviceCodeOf(error)! } : {}) };
        }
      }),
    );
    return this.interpret(window, answers, nowMs);
  }

  /** The deletions the answers (in the order of `requests`) name; errors other than an expired window are thrown. */
  interpret(window: DeletionWindow, answers: readonly DeletionAnswer[], nowMs: number): Deletions {
    const types = ['Opportunity', ...RELATED_OBJECTS];
    const results = answers.map((a, i) => this.checked(types[i]!, window, a));
    const [opportunities, ...related] = results as [DeletedResult, ...DeletedResult[]];
    if (window.gap) this.log.warn({ event: 'salesforce.deletions_gap', since: window.start }, "The last sync read Salesforce's deletions longer ago than getDeleted keeps them (15 days): every opportunity is read again, and linked records are checked for deletion");
    const rows = related.flatMap((r) => r.deletedRecords).map((r) => ({ id: r.id, at: sfDatetimeToIso(r.deletedDate) }));
    const changedParents = opportunitiesOfDeletedRows(this.index, rows, nowMs, KEEP_GONE_MS);
    const covered = results.map((r) => sfDatetimeToIso(r.latestDateCovered) ?? window.start);
    const through = covered.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
    return { opportunityIds: opportunities.deletedRecords.map((d) => d.id), changedParents, through, gap: window.gap === true };
  }

  private checked(type: string, window: DeletionWindow, answer: DeletionAnswer): DeletedResult {
    if (answer.ok) {
      const purgedAt = sfDatetimeToIso(answer.body.earliestDateAvailable);
      if (purgedAt && Date.parse(purgedAt) > Date.parse(window.start)) {
        this.log.warn({ event: 'salesforce.deletions_purged', type, since: window.start, purgedAt }, `Salesforce purged ${type} deletions after ${window.start}; a deletion in that gap is missed until a full resync`);
      }
      return answer.body;
    }
    if (answer.serviceCode !== 'INVALID_REPLICATION_DATE') throw answer.error;
    // Deletions older than getDeleted's 15 days cannot be listed: say so loudly and move on, rather than
    // failing every run from now on.
    this.log.warn({ event: 'salesforce.deletions_unavailable', type, since: window.start }, `${type} records deleted before Salesforce's 15-day getDeleted window cannot be listed; a deal changed that way stays as it was until a full resync`);
    return { deletedRecords: [], latestDateCovered: window.end, earliestDateAvailable: window.start };
  }
}

const serviceCodeOf = (error: unknown): string | undefined => (error as { context?: { serviceCode?: string } }).context?.serviceCode;
