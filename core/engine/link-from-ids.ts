/**
 * A link made from the IDs the two records carry (the CRM record's referral-ID field, the referral's
 * `externalReferenceId`) rather than from the store's history. Its base decides what later looks like a
 * change, so it is chosen by where the pair came from:
 *
 * - our own create, interrupted by a crash before the link was stored (a create intent names it): the
 *   base is the referral, as the create itself would have stored it;
 * - no history at all (a lost or replaced state store, or a record someone linked by hand): every field
 *   the two sides hold differently is a conflict for the configured policy (merge/rebuild.ts), recorded
 *   in the store for `cosell status` and logged at warn — never a silent overwrite.
 */
import type { CrmDeal } from '../../connectors/types.js';
import type { Referral } from '../model/referral.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { rebuildBase, type RebuildDecision } from './merge/rebuild.js';
import { writeUnit } from './merge/units.js';
import type { PageOutcome } from './page-outcome.js';
import type { PairResult } from './pair.js';
import { recordRebuiltLink } from './rebuild-record.js';
import { referralWithIntent } from './seller-intent.js';

export interface LinkFromIds {
  link: Link;
  /** Units the merge must leave for an admin (differences under the manual policy). */
  hold: string[];
}

/** Whether a create intent of ours names the pair: a run stopped between the create and the link. */
function interruptedCreate(ctx: RunContext, crmId: string, referralId: string): boolean {
  return ctx.store.getIntent('referral', crmId) !== undefined || ctx.store.getIntent('crm', referralId) !== undefined;
}

function describe(decisions: readonly RebuildDecision[]): string {
  return decisions.map((d) => `${d.unit} → ${d.winner ?? 'left for an admin'}${d.settledBy === 'terminal' ? ' (closed deal)' : ''}`).join(', ');
}

/** A link whose base is the referral as Partner Center holds it (a create's own result, an interrupted create). */
export function newLink(ctx: RunContext, crmId: string, referral: Referral): Link {
  return {
    crmId,
    referralId: referral.referralId!,
    ...(referral.engagementId ? { engagementId: referral.engagementId } : {}),
    base: referral,
    ...(referral.eTag ? { pcEtag: referral.eTag } : {}),
    ...(referral.updatedAt ? { pcUpdatedAt: referral.updatedAt } : {}),
    state: 'active',
    updatedAt: ctx.nowIso,
  };
}

export function linkFromIds(ctx: RunContext, outcome: PageOutcome, deal: CrmDeal, referral: Referral): LinkFromIds {
  const referralId = referral.referralId!;
  const link = newLink(ctx, deal.crmId, referral);
  if (interruptedCreate(ctx, deal.crmId, referralId)) {
    ctx.logger.info({ crmId: deal.crmId, referralId }, 'linking a create that a stopped run made');
    return { link, hold: [] };
  }
  const policy = ctx.options.policy;
  const crmView = { ...referralWithIntent(deal), crmId: deal.referral.crmId ?? deal.crmId };
  const rebuilt = rebuildBase({ crm: crmView, pc: referral, policy, crmModifiedAt: deal.modifiedAt, ...(referral.updatedAt ? { pcUpdatedAt: referral.updatedAt } : {}) });
  ctx.tally.add('rebuilt');
  if (rebuilt.decisions.length > 0) {
    ctx.tally.add('rebuiltFields', rebuilt.decisions.length);
    ctx.logger.warn({ crmId: deal.crmId, referralId, policy, differed: describe(rebuilt.decisions) }, 'link rebuilt from referral IDs: the two sides differed and the conflict policy decided');
  }
  if (!ctx.options.dryRun) outcome.apply.push((tx) => recordRebuiltLink(tx, rebuilt.decisions, policy, ctx.nowIso));
  return { link: { ...link, base: rebuilt.base }, hold: rebuilt.manual };
}

/**
 * A conflict found on a rebuilt link has no last synced value for its fields: the record says so (no
 * value) rather than showing Partner Center's as if both sides had once agreed on it.
 */
export function withoutHistory(pair: PairResult, hold: readonly string[]): PairResult {
  if (!pair.conflict || hold.length === 0) return pair;
  const base = hold.reduce((acc, unit) => writeUnit(acc, unit, undefined), pair.conflict.base);
  return { ...pair, conflict: { ...pair.conflict, base } };
}
