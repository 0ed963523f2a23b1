/**
 * Partner Center's rules as pure functions. `checkCreate` judges a new deal; `checkChange` judges a
 * change from `previous` to `next` made by `ctx.actor` at `ctx.now`. Both return every violation at once,
 * errors and warnings, each with a stable code from ./catalogue.ts, the canonical field path and a
 * message a seller understands. The sync engine, the Partner Center sandbox and the CSV import all call
 * these same functions before anything is sent or stored.
 */
import type { Referral } from '../model/referral.js';
import { checkAssessmentContent, checkAssessmentPermission, checkAssessmentStages } from './assessment.js';
import { checkContent, checkCreateRequirements, checkRequiredKept } from './content.js';
import { checkDealTypeChange, checkDealTypeConsistency, checkInvitationChange, checkMicrosoftDecision, checkNewInvitations } from './engagement.js';
import { checkFormats } from './formats.js';
import { checkActorScope, checkImmutables, checkInvitationTerms, checkTerminalLock } from './ownership.js';
import { checkWonGap } from './registration.js';
import { checkStatusMove, checkStatusPair, isTerminal } from './status.js';
import { changedPaths } from '../model/diff.js';
import { error, type RuleContext, type Violation } from './violation.js';

export * from './violation.js';
export * from './catalogue.js';
export { registrationEligibility, type RegistrationEligibility } from './registration.js';
export * from './registration-follow-up.js';
export { checkBulkConsent, checkContactForHelp } from './content.js';
export { isAssessmentDeal } from './assessment.js';
export * from './deadlines.js';
export { isTerminal, isValidPair, findTransition } from './status.js';
export { isEmail, isPhone, isCalendarDate, MAX_SOLUTIONS, MAX_TEAM_MEMBERS } from './formats.js';

function checkStageStatus(r: Referral): Violation[] {
  return r.salesStage === 'Won' && r.substatus !== 'Won'
    ? [error('sales_stage.won_requires_won_status', 'salesStage', 'The Won sales stage means the deal is won; mark the deal won instead of setting the stage.')]
    : [];
}

/** Rules on the state of a deal, whatever change led to it. */
function checkState(r: Referral): Violation[] {
  return [...checkStatusPair(r), ...checkFormats(r), ...checkContent(r), ...checkDealTypeConsistency(r), ...checkAssessmentContent(r), ...checkStageStatus(r)];
}

/** Judges a new deal before it is created. */
export function checkCreate(referral: Referral, ctx: RuleContext): Violation[] {
  return [...checkCreateRequirements(referral), ...checkState(referral), ...checkNewInvitations(referral), ...checkWonGap(undefined, referral, ctx), ...checkAssessmentPermission(referral, ctx)];
}

/** Judges a change to an existing deal. A terminal deal reports only the lock: nothing else matters. */
export function checkChange(previous: Referral, next: Referral, ctx: RuleContext): Violation[] {
  if (isTerminal(previous)) return checkTerminalLock(previous, next, ctx);
  // State rules that a change from the other side (Microsoft, a partner) cannot have caused are not
  // charged to it: they judge only what `ctx.actor` may change.
  const state = ctx.actor === 'us' ? [...checkState(next), ...checkRequiredKept(previous, next)] : checkStatusPair(next);
  // Compared once for both rules that read the changed paths (each compared the two referrals before).
  const changed = changedPaths(previous, next);
  return [
    ...checkImmutables(previous, next, changed),
    ...checkActorScope(previous, next, ctx, changed),
    ...checkStatusMove(previous, next, ctx),
    ...state,
    ...checkDealTypeChange(previous, next),
    ...checkInvitationChange(previous, next, ctx),
    ...checkInvitationTerms(previous, next, ctx),
    ...checkMicrosoftDecision(previous, next, ctx),
    ...checkAssessmentStages(previous, next),
    ...checkWonGap(previous, next, ctx),
  ];
}
