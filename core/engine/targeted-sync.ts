/**
 * A targeted sync: the referrals a webhook named, fetched one by one and run through the same page
 * processing as the change feed (partner-center-phase.ts), as one page without a cursor, so the change
 * feed's watermark does not move. The backstop poll therefore still reads everything after the
 * watermark, and a referral this sync already wrote comes back to it as an echo (nothing to write).
 *
 * The caller holds the single-runner lock and never runs this alongside a full run (core/serve/).
 */
import { AuthError, BudgetPausedError, ConnectorError, NotFoundError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import { runContext, type EngineDeps, type EngineOptions } from './context.js';
import { processPartnerCenterPage } from './partner-center-phase.js';
import type { RunOutcome } from './sync-engine.js';

/** The code of a referral the Partner Center client could not map (connectors/partner-center/mapping/errors.ts). */
const MAPPING_FAILED = 'mapping_failed';

export interface TargetedSyncReport {
  outcome: RunOutcome;
  counts: Record<string, number>;
  /** The referrals fetched and processed, as Partner Center returned them (for the lag metric). */
  processed: Referral[];
  /** Named referrals Partner Center does not show to us (deleted, another organisation's). */
  notFound: string[];
  message?: string;
  errorCode?: string;
}

export async function runTargetedSync(deps: EngineDeps, referralIds: readonly string[], options: Partial<EngineOptions> = {}): Promise<TargetedSyncReport> {
  const ctx = runContext(deps, options);
  const referrals: Referral[] = [];
  const unmappable: { id: string; message: string }[] = [];
  const notFound: string[] = [];
  try {
    for (const id of new Set(referralIds)) {
      try {
        referrals.push(await deps.partnerCenter.get(id));
      } catch (error) {
        if (error instanceof NotFoundError) notFound.push(id);
        // The client maps the referral as it reads it: a referral it cannot read is parked, as in the feed.
        else if (error instanceof ConnectorError && error.code === MAPPING_FAILED) unmappable.push({ id, message: error.message });
        else throw error;
      }
    }
    if (referrals.length > 0 || unmappable.length > 0) await processPartnerCenterPage(ctx, { referrals, unmappable, cursor: undefined });
    return { outcome: 'ok', counts: { ...ctx.tally.counts }, processed: referrals, notFound };
  } catch (error) {
    const paused = error instanceof BudgetPausedError;
    if (!paused) deps.logger.error({ err: error, referralIds }, 'targeted sync failed; the backstop poll will pick the referrals up');
    return {
      outcome: paused ? 'paused' : 'failed',
      counts: { ...ctx.tally.counts },
      processed: [],
      notFound,
      message: error instanceof AuthError ? error.message : `${(error as Error).name}: ${(error as Error).message}`,
      ...(error instanceof ConnectorError ? { errorCode: error.code } : {}),
    };
  }
}
