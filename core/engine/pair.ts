/**
 * Syncing one linked pair: the CRM record as it is now, Partner Center's referral as it is now, and the
 * link's base. Three steps: decide (pair-decide.ts: merge, Partner Center's rules, holds), act (here: the
 * Partner Center update, at once, as its API has no batch) and record (pair-record.ts: the status the
 * seller sees, the CRM write for the page's batch, the link to store).
 *
 * Outcomes a seller sees on the record: synced; error (parked, with every reason); conflict (manual
 * policy); held (Won waits for the 72-hour gap); orphaned (the referral is gone from Partner Center);
 * pending (the seller unticked "Sync with Partner Center": paused-pair.ts).
 */
import type { CrmDeal, CrmWrite } from './crm-port.js';
import { ConflictError, NotFoundError, RemoteValidationError } from '../errors.js';
import type { Referral } from '../model/referral.js';
import { describeViolations, type Violation } from '../rules/violation.js';
import type { Conflict, Link, ParkedRecord } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { decidePair, parkRecord, type PairWork } from './pair-decide.js';
import { recordPair } from './pair-record.js';
import { isPaused, pausedPair } from './paused-pair.js';

/**
 * What an orphaned record says (the referral is gone from Partner Center's view): why, what happens to the
 * seller's edits, that the connector looks again by itself (orphan-checks.ts), and whom to ask. Until
 * 2026-12-06 it said nothing of what to do, and nothing looked again.
 */
export const ORPHANED_MESSAGE =
  "Partner Center no longer shows this deal (deleted, or access lost): nothing syncs and edits stay here. Checked again by itself, at least daily; edits sync once it shows. Else ask a co-sell admin to restore the connector's access (deal team, location).";

export interface PairResult {
  /** The link to store when the CRM write succeeds (or when there is none). */
  link: Link;
  /** The link to store when the CRM write fails: CRM-bound units stay unsynced. */
  linkIfCrmWriteFails: Link;
  crmWrite?: CrmWrite;
  park?: ParkedRecord;
  unpark?: boolean;
  conflict?: Omit<Conflict, 'id'>;
  /** The open conflict's sides as they are now (pair-decide.ts). */
  refreshConflict?: PairWork['refreshConflict'];
  /** The open conflict whose sides came to agree, closed when the page commits (pair-decide.ts). */
  closeConflict?: NonNullable<PairWork['closeConflict']> & { at: string };
  /** The CRM write was refused before for this content and waits for its retry: the park stays. */
  waitingForRetry?: boolean;
  /** Synced against the referral as Partner Center holds it now (a pair the CRM phase adopted): it settles the referral's park. */
  againstCurrentReferral?: boolean;
}

/**
 * Sends the decided update to Partner Center. Returns `stale` when Partner Center changed since it was
 * read (a 412) on the first attempt, so that the pair is read and decided again; a referral gone or a
 * refusal is recorded on the work, anything else is thrown.
 */
async function actOnPair(ctx: RunContext, work: PairWork, attempt: number): Promise<'stale' | undefined> {
  const send = work.send;
  if (!send) return undefined;
  try {
    work.pcAfter = await ctx.partnerCenter.update(work.pcCurrent, send.next);
    ctx.tally.add('pcUpdated');
    work.unpark = send.wasParked;
  } catch (error) {
    if (error instanceof ConflictError && attempt === 0) return 'stale';
    if (error instanceof NotFoundError) {
      work.linkState = 'referral-missing';
      work.state = 'orphaned';
      work.message = ORPHANED_MESSAGE;
      work.unsentToPc.push(...send.units);
      ctx.tally.add('orphaned');
    } else if (error instanceof RemoteValidationError) {
      const reasons: Violation[] = [{ code: 'remote.refused', field: error.context.field ?? error.context.target ?? 'referral', message: error.message, severity: 'error' }];
      work.unsentToPc.push(...send.units);
      work.state = 'error';
      work.message = describeViolations(reasons, ctx.crm.fieldLabels);
      work.park = parkRecord(ctx, work.deal, work.crmView, reasons);
    } else {
      throw error;
    }
  }
  return undefined;
}

/**
 * `hold`: units an admin must settle beyond those of the link's open conflict (differences found when the
 * link was rebuilt under the manual policy); nothing moves on them while the sides differ.
 */
export async function syncPair(ctx: RunContext, link: Link, deal: CrmDeal, pcCurrent: Referral, attempt = 0, hold: readonly string[] = []): Promise<PairResult> {
  // Every path to a linked pair (either feed, revisits, retries) comes here: the seller's switch is honoured once.
  if (isPaused(deal)) return pausedPair(ctx, link, deal);
  const work = decidePair(ctx, link, deal, pcCurrent, hold);
  if ((await actOnPair(ctx, work, attempt)) === 'stale') {
    // Partner Center changed since we read it: read again and decide again, once.
    return syncPair(ctx, link, deal, await ctx.partnerCenter.get(link.referralId), attempt + 1, hold);
  }
  return recordPair(ctx, work);
}
