/**
 * "Sync with Partner Center" is the seller's switch for a deal. Unticked on a linked deal, the pair is
 * paused: nothing goes to Partner Center, nothing from Partner Center is written to the deal's fields, and
 * the record says so once, with how to resume. The link and its base stay as they were, so ticking the box
 * again merges what changed on both sides meanwhile against that base (a normal three-way merge) and never
 * creates a second referral. A parked record stops being retried: its error no longer applies.
 *
 * The record shows the state `pending` (sync waits for the seller), which both CRMs' status fields already
 * accept: a new state would be refused by Salesforce's restricted picklist in orgs set up before it.
 */
import type { CrmDeal, CrmWrite, SyncState, SyncStatus } from './crm-port.js';
import { statusWriteOnRead } from './crm-write-types.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import type { PairResult } from './pair.js';
import { sameStatus } from './sync-status.js';
import { recordShows } from './shown-status.js';
import { isWaitingStatus } from './partner-center-outage.js';

export const SYNC_OFF_STATE: SyncState = 'pending';

export const SYNC_OFF_MESSAGE =
  'Sync with Partner Center is off for this deal: its changes are not sent to Partner Center and Partner Center\'s are not written here. Tick "Sync with Partner Center" to resume; what changed on both sides meanwhile is then merged.';

/** Whether the seller switched syncing off for this linked deal. */
export function isPaused(deal: CrmDeal): boolean {
  return !deal.intent.optedIn;
}

/**
 * Whether the pair was paused when it was last recorded: its base then no longer stands for Partner Center's
 * side (Partner Center's changes during the pause were not taken in), so the referral is read fresh.
 */
export function wasPaused(link: Link): boolean {
  // A record whose changes waited for Partner Center shows `pending` too, but its base is Partner Center's
  // side as before: read fresh, each of an outage's waiting records would cost a call when it ends.
  return link.lastStatus?.state === SYNC_OFF_STATE && !isWaitingStatus(link.lastStatus);
}

/**
 * The status a paused record shows: what it showed before, with the state and message saying sync is off.
 * Nothing of Partner Center's side is written (not even its direction, which would make a Salesforce
 * record read as an inbound deal, always opted in); the hold goes with the pause.
 */
export function pausedStatus(shown: SyncStatus | undefined, nowIso: string): SyncStatus {
  // The CRM's saved form of the earlier status is not this one's (shown-status.ts).
  const { heldUntil: _hold, savedAs: _saved, ...kept } = shown ?? { state: SYNC_OFF_STATE, message: '' };
  return { ...kept, state: SYNC_OFF_STATE, message: SYNC_OFF_MESSAGE, lastSyncedAt: nowIso };
}

/** The paused pair: the base untouched, the park dropped, and the "sync is off" status written once. */
export function pausedPair(ctx: RunContext, link: Link, deal: CrmDeal): PairResult {
  ctx.tally.add('skipped');
  const status = pausedStatus(link.lastStatus, ctx.nowIso);
  const shown = sameStatus(link.lastStatus, status) && recordShows(ctx.crm, deal, link.lastStatus);
  // On the version read: a write no one else's save preceded reports the new version, kept as the link's (not read back).
  const crmWrite: CrmWrite | undefined = shown ? undefined : statusWriteOnRead(deal, status);
  // A Won hold is decided again on resume (pair-decide.ts); kept, it would bring the pair back every run.
  const { heldUntil: _hold, ...kept } = link;
  const next: Link = { ...kept, ...(deal.etag ? { crmEtag: deal.etag } : {}), updatedAt: ctx.nowIso };
  return {
    link: crmWrite ? { ...next, lastStatus: status } : next,
    linkIfCrmWriteFails: next,
    ...(crmWrite ? { crmWrite } : {}),
    ...(ctx.records.getParked('crm', deal.crmId) ? { unpark: true } : {}),
  };
}
