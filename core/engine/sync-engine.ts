/**
 * One sync run: Partner Center's change feed, then the CRM's, then links due for a revisit. Each page is
 * processed and committed (links, parked records, conflicts and the page's cursor in one transaction)
 * before the next is read (CRM writes are gathered across pages into full batches: write-buffer.ts), so a
 * crash re-reads at most the pages not yet committed.
 *
 * Partner Center goes first so that inbound referrals and Microsoft's answers are in the CRM before the
 * CRM's own edits are judged against them. The CRM's feed may still be opened during the Partner Center
 * phase, when that phase first reads CRM records (crm-listing.ts): its first call then tells which records
 * its pages will read, and they are read in the same call as the Partner Center phase's. Memory then also
 * holds, through the Partner Center phase, that first answer and at most 1,000 records read for the listing.
 */
import { carrySharedCustomerChanges } from './shared-customers.js';
import { BudgetPausedError, ConnectorError, failureText } from '../errors.js';
import { runContext, type EngineDeps, type EngineOptions, type RunContext, type SyncProgress } from './context.js';
import { planCrmPage } from './crm-phase.js';
import { beforeCrmListing, pageAfterBufferedWrites } from './crm-phase-boundary.js';
import { partnerCenterPageIds, planPartnerCenterPage } from './partner-center-phase.js';
import { WriteBuffer } from './write-buffer.js';
import { followLeads } from './lead-conversions.js';
import { readRebuildRecord } from './rebuild-record.js';
import { processDueRevisits } from './revisits.js';
import { CrmListing } from './crm-listing.js';
import { CrmReadAhead, READ_AHEAD_PAGES } from './crm-read-ahead.js';
import { pageGroups } from './page-groups.js';
import type { PlannedChange } from './dry-run-plan.js';
import { OUTAGE_META, outageOf, storedOutage } from './partner-center-outage.js';
import { OUTAGE_VERSIONS_META } from './outage-versions.js';
import { retryParkedAfterSettingsChange } from './settings-change.js';
import { tellWaitingChanges, watchedPartnerCenter } from './waiting-changes.js';

export type RunOutcome = 'ok' | 'partial' | 'paused' | 'failed';

export interface RunReport {
  runId?: number;
  outcome: RunOutcome;
  startedAt: string;
  finishedAt: string;
  counts: Record<string, number>;
  /** Requests made to Partner Center during the run. */
  partnerCenterCalls: number;
  writes: number;
  message?: string;
  /** The stable code of the error that failed the run (`auth_failed`, `store.damaged` …), when it had one. */
  errorCode?: string;
  /** Set on a dry run: every write the run would have made, record by record. */
  plan?: PlannedChange[];
  /**
   * Records parked when the run ended, this run's and earlier ones' (what `cosell status` lists): a record
   * parked by an earlier run and not retried in this one still cannot sync, and a scheduler must keep seeing it.
   */
  parkedTotal?: number;
  /**
   * Conflicts open when the run ended (the `manual` policy leaves each for an admin): their fields wait on
   * both sides until settled, and a scheduler must see that as it sees parked records.
   */
  openConflictsTotal?: number;
}

function overBudget(ctx: RunContext, startCalls: number): boolean {
  const budget = ctx.options.partnerCenterCallBudget;
  return budget !== undefined && ctx.partnerCenter.callCount() - startCalls >= budget;
}

export async function runSyncOnce(deps: EngineDeps, options: Partial<EngineOptions> = {}): Promise<RunReport> {
  // Partner Center's own failures are told apart from the CRM's: only they make an outage (partner-center-outage.ts).
  const partnerCenter = watchedPartnerCenter(deps.partnerCenter);
  const ctx = runContext({ ...deps, partnerCenter: partnerCenter.port }, options);
  const store = ctx.store;
  const startCalls = deps.partnerCenter.callCount();
  // The run before this one: a failure it already logged at error level is not logged so again (a revoked
  // sign-in left over a weekend would otherwise fill the log with the same error at every turn).
  const previous = ctx.plan ? undefined : (await store.listRuns(1))[0];
  const run = await store.startRun(ctx.nowIso);
  // The Partner Center outage earlier runs recorded, if one lasts: its start stays the start until it ends.
  const outage = ctx.plan ? undefined : storedOutage(await store.getMeta(OUTAGE_META));
  const startedMs = performance.now();
  let outcome: RunOutcome = 'ok';
  let message: string | undefined;
  let errorCode: string | undefined;
  const log = deps.logger.child({ runId: run.id, crm: deps.crm.displayName });
  // CRM writes gathered across pages into full batches; each page commits once its writes came back.
  const buffer = new WriteBuffer(ctx, (writes) => readAhead.forget(writes));
  // The CRM's feed, opened early when the Partner Center phase reads CRM records (crm-listing.ts).
  const listing = new CrmListing(ctx, buffer);
  // The CRM side of several Partner Center pages is read in one call, with the listing's records; what our
  // writes change is read again.
  const readAhead = new CrmReadAhead(ctx, listing);
  try {
    const stopped = () => {
      if (!ctx.options.signal?.aborted) return false;
      outcome = 'partial';
      message = `Stopped on request (${String(ctx.options.signal.reason ?? 'signal')}) after the last committed page; the next run continues from there.`;
      return true;
    };
    let pages = 0;
    const progress = (phase: SyncProgress['phase']) =>
      ctx.options.onProgress?.({ phase, pages, read: ctx.tally.get('pcRead') + ctx.tally.get('crmRead'), written: ctx.tally.writes() });
    const madeDue = await retryParkedAfterSettingsChange(ctx);
    if (madeDue > 0) log.info({ parked: madeDue }, `The settings changed since the last run: ${madeDue} parked record(s) are retried from this run on`);
    // Leads first: a lead the seller converted since the last run is followed to its opportunity before
    // Partner Center's changes are applied, so they reach the opportunity, never the converted lead.
    await followLeads(ctx);
    progress('partner-center');
    const feed = partnerCenter.port.changes(await store.getCursor('partner-center'));
    partnerCenterPages: for await (const group of pageGroups(feed, READ_AHEAD_PAGES, () => ctx.options.signal?.aborted === true || overBudget(ctx, startCalls))) {
      await readAhead.prepare(group);
      for (const page of group) {
        if (buffer.touches(partnerCenterPageIds(page))) await buffer.flush();
        await buffer.add(await planPartnerCenterPage(ctx, page, readAhead));
        pages += 1;
        progress('partner-center');
        if (stopped()) break partnerCenterPages;
        if (overBudget(ctx, startCalls)) {
          outcome = 'partial';
          message = `Stopped after the Partner Center request budget (${ctx.options.partnerCenterCallBudget}); the next run continues from the last page.`;
          break partnerCenterPages;
        }
      }
    }
    // The Partner Center phase's CRM updates go out with the CRM phase's write-backs (crm-phase-boundary.ts).
    await beforeCrmListing(buffer, outcome !== 'ok');
    if (outcome === 'ok') {
      pages = 0;
      progress('crm');
      for await (const listed of listing.pages(readAhead.listingReads())) {
        const page = await pageAfterBufferedWrites(ctx, buffer, listed, (deal) => readAhead.decidedHere(deal));
        await buffer.add(await planCrmPage(ctx, page));
        if (listed.writesBeforeNext) await buffer.flush();
        pages += 1;
        progress('crm');
        if (stopped()) break;
      }
      await buffer.flush();
      if (outcome === 'ok') {
        pages = 0;
        progress('revisits');
        await processDueRevisits(ctx);
        await carrySharedCustomerChanges(ctx);
      }
    }
  } catch (error) {
    await buffer.flushAfterFailure();
    if (error instanceof BudgetPausedError) {
      outcome = 'paused';
      message = error.message;
    } else {
      outcome = 'failed';
      if (error instanceof ConnectorError) errorCode = error.code;
      // Stored and shown (sync and run print it, status, dashboard, emails): filtered (errors.ts).
      message = failureText(error);
      if (previous?.outcome === 'failed' && previous.message === message) {
        log.info({ code: errorCode, sameAsRun: previous.id }, 'sync run failed again with the problem the previous run logged; the next run tries again');
      } else log.error({ err: error }, 'sync run failed; the next run resumes from the last committed page');
      const down = ctx.plan ? undefined : outageOf(error, partnerCenter.threw(error), ctx.nowIso, outage);
      if (down) await tellWhileDown(ctx, log, down, outage);
    }
  }
  // The outage ends with a run that did not fail: ended as soon as Partner Center answered the run's first
  // calls, an outage that fails its updates (or lasts past one answered call) was recorded anew at every run,
  // and every waiting record told again each time.
  if (outage && outcome !== 'failed') {
    await store.deleteMeta(OUTAGE_META);
    await store.deleteMeta(OUTAGE_VERSIONS_META);
    log.info({ since: outage.since }, 'Partner Center answers again; the changes that waited are sent');
  }
  if (ctx.tally.get('rebuilt') > 0) {
    // A lost or replaced state store is never recovered silently: `cosell status` shows the record too.
    log.warn({ links: ctx.tally.get('rebuilt'), fieldsDiffered: ctx.tally.get('rebuiltFields'), policy: ctx.options.policy, rebuild: await readRebuildRecord(store) }, 'links were rebuilt from the referral IDs on both sides; fields that differed were decided by the conflict policy');
  }
  const finishedAt = deps.now().toISOString();
  const startedAt = startAsClockReadsNow(ctx.nowIso, finishedAt, performance.now() - startedMs);
  const partnerCenterCalls = deps.partnerCenter.callCount() - startCalls;
  const counts = { ...ctx.tally.counts, partnerCenterCalls };
  await store.finishRun(run.id, { finishedAt, outcome, counts, ...(message ? { message } : {}), ...(startedAt !== ctx.nowIso ? { startedAt } : {}) });
  log.info({ outcome, counts }, 'sync run finished');
  const { parkedTotal, openConflictsTotal } = await waitingAfterRun(ctx);
  return {
    // A dry run's store keeps no run history (dry-run-store.ts): its report names no run.
    ...(ctx.plan ? {} : { runId: run.id }), outcome, startedAt, finishedAt, counts, partnerCenterCalls, writes: ctx.tally.writes(),
    ...(message ? { message } : {}), ...(errorCode ? { errorCode } : {}), ...(ctx.plan ? { plan: ctx.plan } : {}), ...(parkedTotal === undefined ? {} : { parkedTotal }),
    ...(openConflictsTotal === undefined ? {} : { openConflictsTotal }),
  };
}

/**
 * Partner Center does not answer: the outage is recorded (its start kept while it lasts) and the records
 * whose changes wait are told so (waiting-changes.ts). A CRM that fails as well only leaves them untold.
 */
async function tellWhileDown(ctx: RunContext, log: RunContext['logger'], down: NonNullable<ReturnType<typeof outageOf>>, known: unknown): Promise<void> {
  try {
    if (!known) await ctx.store.putMeta(OUTAGE_META, down, ctx.nowIso);
    const told = await tellWaitingChanges(ctx, down);
    if (told > 0) log.info({ records: told, since: down.since }, 'records whose changes wait for Partner Center now say so');
  } catch (error) {
    log.warn({ err: error }, 'could not tell the CRM records that their changes wait for Partner Center; the next run tries again');
  }
}

/** How many records are parked and how many conflicts open now; unknown when the store cannot answer (the run's own failure says why). */
async function waitingAfterRun(ctx: RunContext): Promise<{ parkedTotal?: number; openConflictsTotal?: number }> {
  try {
    return { parkedTotal: await ctx.store.countParked(), openConflictsTotal: (await ctx.store.listConflicts()).length };
  } catch {
    return {};
  }
}

/** A move of the engine's clock during a run smaller than this is not one (timer noise, a slow machine). */
const CLOCK_MOVE_MS = 60_000;

/**
 * The run's start as the engine's clock reads at its end. The clock follows Partner Center's when this
 * machine's is off, and a run learns of a new offset from its first answer, after it was stamped: the first
 * run after a shift was stamped by the old clock and finished by the new one, and `cosell status` (which reads
 * run ages by the new) called a run that had just ended 12 days old. When the clock moved by more than a
 * minute beside the run's own elapsed time, the start is the end less that time. Pure.
 */
export function startAsClockReadsNow(startedAt: string, finishedAt: string, elapsedMs: number): string {
  const moved = Date.parse(finishedAt) - Date.parse(startedAt) - elapsedMs;
  return Math.abs(moved) > CLOCK_MOVE_MS ? new Date(Date.parse(finishedAt) - Math.round(elapsedMs)).toISOString() : startedAt;
}
