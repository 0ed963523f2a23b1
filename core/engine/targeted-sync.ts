/**
 * A targeted sync: the referrals a webhook named, fetched one by one and run through the same page
 * processing as the change feed (partner-center-phase.ts), as one page without a cursor, so the change
 * feed's watermark does not move. The backstop poll therefore still reads everything after the
 * watermark, and a referral this sync already wrote comes back to it as an echo (nothing to write).
 *
 * Each named referral succeeds or fails on its own: one Partner Center cannot serve (its GET fails, whatever
 * the cause) is reported in `failed` with its reason, and the others of the batch are synced all the same
 * (until 2026-12-05 one such referral failed the whole batch, and the others waited for the next poll). A
 * failure that concerns every referral — the sign-in refused, the API budget spent, throttling — still
 * fails the batch, and so does a failure of the page's processing (the CRM not answering).
 *
 * A CRM record the page made for a referral (or linked to it) has its ID sent to Partner Center in the same
 * sync, as a full run's CRM phase does (crm-phase-boundary.ts): until 2026-12-06 the referral named no
 * CRM record until the next poll, and a state store lost in between left only the CRM naming it, so the
 * rebuild parked both sides for `cosell link` (binding.ts) instead of linking the record the connector had
 * made (found by the model-based test with `cosell state rebuild` mid-run;
 * `test/e2e/targeted-sync-crm-id.test.ts`). Not before the first full run (nameRecordsInPartnerCenter). A
 * sync that fails after its create leaves the ID unsent all the same: a rebuild then links the record as the
 * only one naming the referral under its names (binding.ts; model seeds 1812 and 2211).
 *
 * The caller holds the single-runner lock and never runs this alongside a full run (core/serve/).
 */
import { AuthError, BudgetPausedError, ConnectorError, NotFoundError, RateLimitError, failureText } from '../errors.js';
import type { Referral } from '../model/referral.js';
import { runContext, type EngineDeps, type EngineOptions, type RunContext } from './context.js';
import { processCrmRecordsById } from './crm-phase.js';
import { processPartnerCenterPage } from './partner-center-phase.js';
import type { RunOutcome } from './sync-engine.js';

/** The code of a referral the Partner Center client could not map (connectors/partner-center/mapping/errors.ts). */
const MAPPING_FAILED = 'mapping_failed';

export interface TargetedSyncReport {
  outcome: RunOutcome;
  counts: Record<string, number>;
  /** Named referrals Partner Center does not show to us (deleted, another organisation's). */
  notFound: string[];
  /** Named referrals that could not be read, each with why: the caller retries them. */
  failed: FailedReferral[];
  message?: string;
  errorCode?: string;
}

export interface FailedReferral {
  referralId: string;
  message: string;
  errorCode?: string;
}

/** Whether a referral's read failed for a reason that would fail every read of the run (not this referral's). */
const failsEveryRead = (error: unknown) => error instanceof AuthError || error instanceof BudgetPausedError || error instanceof RateLimitError;

/**
 * `alreadyReported`: the message of the previous targeted sync's failure as a whole, which the log has. A
 * lasting problem (a revoked sign-in, the CRM down) failed every retry of `cosell serve` with the same error
 * logged at error level, stack and all, every few seconds for as long as it lasted; it is logged at error
 * level when it first happens, then at info.
 */
export async function runTargetedSync(
  deps: EngineDeps,
  referralIds: readonly string[],
  options: Partial<EngineOptions> = {},
  told: { alreadyReported?: string } = {},
): Promise<TargetedSyncReport> {
  const ctx = runContext(deps, options);
  const referrals: Referral[] = [];
  const unmappable: { id: string; message: string }[] = [];
  const notFound: string[] = [];
  const failed: FailedReferral[] = [];
  try {
    for (const id of new Set(referralIds)) {
      try {
        referrals.push(await deps.partnerCenter.get(id));
      } catch (error) {
        if (error instanceof NotFoundError) notFound.push(id);
        // The client maps the referral as it reads it: a referral it cannot read is parked, as in the feed.
        else if (error instanceof ConnectorError && error.code === MAPPING_FAILED) unmappable.push({ id, message: error.message });
        else if (failsEveryRead(error)) throw error;
        else {
          deps.logger.warn({ err: error, referralId: id }, 'a referral of the targeted sync could not be read; it is tried again, the others go on');
          failed.push({ referralId: id, message: failureText(error), ...(error instanceof ConnectorError ? { errorCode: error.code } : {}) });
        }
      }
    }
    if (referrals.length > 0 || unmappable.length > 0) await processPartnerCenterPage(ctx, { referrals, unmappable, cursor: undefined });
    await nameRecordsInPartnerCenter(ctx, referrals);
    if (failed.length === 0) return { outcome: 'ok', counts: { ...ctx.tally.counts }, notFound, failed };
    const synced = referrals.length + unmappable.length + notFound.length;
    return {
      outcome: synced > 0 ? 'partial' : 'failed',
      counts: { ...ctx.tally.counts },
      notFound,
      failed,
      message: `${failed.length} of ${new Set(referralIds).size} referral(s) could not be read and will be tried again: ${failed.map((f) => `${f.referralId} (${f.message})`).join('; ')}`,
      ...(failed[0]!.errorCode ? { errorCode: failed[0]!.errorCode } : {}),
    };
  } catch (error) {
    const paused = error instanceof BudgetPausedError;
    const message = failureText(error);
    if (paused) {
      // A budget pause is the plan, not a failure: the poll resumes once the budget allows.
    } else if (message === told.alreadyReported) {
      deps.logger.info({ referralIds }, 'targeted sync failed again with the problem already logged; it is tried again later');
    } else deps.logger.error({ err: error, referralIds }, 'targeted sync failed; the backstop poll will pick the referrals up');
    return {
      outcome: paused ? 'paused' : 'failed',
      counts: { ...ctx.tally.counts },
      notFound,
      failed: [],
      message,
      ...(error instanceof ConnectorError ? { errorCode: error.code } : {}),
    };
  }
}

/**
 * The linked opportunities Partner Center does not name yet (this sync just made them), read by ID and
 * merged as a CRM page without a cursor: the merge puts the record's ID on the referral (three-way.ts,
 * the connector's own `crmId`). A lead the page made has no opportunity to name yet (core/model/lead.ts).
 */
async function nameRecordsInPartnerCenter(ctx: RunContext, referrals: readonly Referral[]): Promise<void> {
  // Before the first full run the CRM's feed has no starting point: the version this would write on the
  // record would be known to that run, and a related row a seller removed alone before then (found only by
  // the feed's related-row tracking, which starts with that run) would go unseen (model seed 1828, Dynamics
  // 365). The ID then waits for the first poll, as it did for every targeted sync before.
  if (!(await ctx.store.getCursor('crm'))) return;
  // The links as the page committed them, read at once.
  const { links } = await ctx.store.loadPage({ referralIds: referrals.map((r) => r.referralId!) });
  const byReferral = new Map(links.map((l) => [l.referralId, l]));
  const linked = referrals.flatMap((referral) => {
    const link = byReferral.get(referral.referralId!);
    return link?.state === 'active' && link.crmId !== referral.crmId ? [link.crmId] : [];
  });
  if (linked.length === 0) return;
  const leads = new Set((await ctx.store.leads.getLeads(linked)).map((l) => l.leadId));
  const unnamed = linked.filter((crmId) => !leads.has(crmId));
  if (unnamed.length === 0) return;
  await processCrmRecordsById(ctx, unnamed);
}
