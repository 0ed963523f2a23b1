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
 * asked for, else INVALID_REPLICATION_DATE; `latestDateCovered` is where the next window must start;
 * `earliestDateAvailable` later than the start means the log was purged in the window (see deletionsLost).
 */
import type { Logger } from '../../core/logger.js';
import { sfDatetimeToIso } from '../../mappings/fields.salesforce.js';
import { opportunitiesOfDeletedRows } from '../related-row-deletions.js';
import type { RelatedRowIndex } from '../../core/engine/crm-port.js';
import type { SalesforceClient } from './client.js';
import { INVITATION_OBJECT, SOLUTION_OBJECT } from '../../mappings/custom-fields.salesforce.js';

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

/** The last read of deletions was longer ago than getDeleted keeps them: deletions in between cannot be listed. */
export function deletionsGap(sinceIso: string, nowMs: number): boolean {
  return Date.parse(sinceIso) < nowMs - RETENTION_MS;
}

/** The window from `sinceIso` to now, clamped to what getDeleted keeps and widened to its minimum length. */
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
   * Some deletions of the window cannot be listed (the last run was longer ago than getDeleted keeps them,
   * Salesforce refused the window, or purged its log after the window's start): the caller must read every
   * opportunity again to see what its related rows are now, and say its deletions are incomplete.
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
    const base = this.client.dataPath();
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
    return this.interpret(window, answers, this.client.serverNowMs() ?? nowMs);
  }

  /**
   * The deletions the answers (in the order of `requests`) name; errors other than a refused window are
   * thrown. A window Salesforce can no longer answer in full (a refusal, or a purge after its start) makes
   * the run's deletions incomplete: the caller reads every deal again and the engine checks which linked
   * records are gone, rather than moving on as if nothing had been deleted.
   */
  async interpret(window: DeletionWindow, answers: readonly DeletionAnswer[], nowMs: number): Promise<Deletions> {
    const types = ['Opportunity', ...RELATED_OBJECTS];
    const results = answers.map((a, i) => this.checked(types[i]!, window, a, nowMs));
    const gap = window.gap === true || results.some((r) => r.lost !== undefined);
    const [opportunities, ...related] = results.map((r) => r.result) as [DeletedResult, ...DeletedResult[]];
    if (window.gap) this.log.warn({ event: 'salesforce.deletions_gap', since: window.start }, "The last sync read Salesforce's deletions longer ago than getDeleted keeps them (15 days): every opportunity is read again, and linked records are checked for deletion");
    const rows = related.flatMap((r) => r.deletedRecords).map((r) => ({ id: r.id, at: sfDatetimeToIso(r.deletedDate) }));
    const changedParents = await opportunitiesOfDeletedRows(this.index, rows, { goneAt: new Date(nowMs).toISOString(), forgetBefore: new Date(nowMs - KEEP_GONE_MS).toISOString() });
    const covered = results.map((r) => sfDatetimeToIso(r.result.latestDateCovered) ?? window.start);
    const through = covered.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
    return { opportunityIds: opportunities.deletedRecords.map((d) => d.id), changedParents, through, gap };
  }

  private checked(type: string, window: DeletionWindow, answer: DeletionAnswer, nowMs: number): { result: DeletedResult; lost?: DeletionsLost } {
    const lost = deletionsLost(window.start, answer);
    if (lost === 'purged' && answer.ok) {
      this.log.warn({ event: 'salesforce.deletions_purged', type, since: window.start, purgedAt: sfDatetimeToIso(answer.body.earliestDateAvailable) }, `Salesforce purged ${type} deletions after ${window.start} (earliestDateAvailable): every opportunity is read again, and linked records are checked for deletion`);
    }
    if (answer.ok) return { result: answer.body, ...(lost ? { lost } : {}) };
    if (lost !== 'refused') throw answer.error;
    // The window is one Salesforce can no longer answer (older than its 15 days, or the Recycle Bin was
    // emptied since): the deletions in it are read as incomplete, and the next window starts now, by
    // Salesforce's clock as of this answer (the window's end was reckoned before the call, and may lag it).
    this.log.warn({ event: 'salesforce.deletions_unavailable', type, since: window.start }, `Salesforce refused the ${type} deletions since ${window.start} (INVALID_REPLICATION_DATE): every opportunity is read again, and linked records are checked for deletion`);
    return { result: { deletedRecords: [], latestDateCovered: new Date(nowMs).toISOString(), earliestDateAvailable: window.start }, lost };
  }
}

/** Why a getDeleted answer cannot list every deletion of its window, if it cannot. */
export type DeletionsLost = 'refused' | 'purged';

/**
 * Pure. `refused`: Salesforce answered INVALID_REPLICATION_DATE (the start is older than the 15 days it keeps,
 * or the Recycle Bin was emptied after it). `purged`: the answer's `earliestDateAvailable`, "the timestamp of
 * the last physically deleted object", is later than the window's start, so deletions between the two are
 * gone from the log ("you must resync your data"). Otherwise undefined: the answer lists every deletion.
 */
export function deletionsLost(windowStart: string, answer: DeletionAnswer): DeletionsLost | undefined {
  if (!answer.ok) return answer.serviceCode === 'INVALID_REPLICATION_DATE' ? 'refused' : undefined;
  const earliest = sfDatetimeToIso(answer.body.earliestDateAvailable);
  // Salesforce reads the start to the minute: compare with the start it used.
  const start = Math.floor(Date.parse(windowStart) / MINUTE) * MINUTE;
  return earliest !== undefined && Date.parse(earliest) > start ? 'purged' : undefined;
}

const serviceCodeOf = (error: unknown): string | undefined => (error as { context?: { serviceCode?: string } }).context?.serviceCode;
