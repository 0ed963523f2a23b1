/**
 * A link made from the IDs the two records carry (the CRM record's referral-ID field, the referral's
 * `externalReferenceId`) rather than from the store's history. Its base decides what later looks like a
 * change, so it is chosen by where the pair came from:
 *
 * - our own create, interrupted by a crash before the link was stored (a create intent names it): the
 *   record the create was made from wins where the two differ (what the other side lacks is what the
 *   stopped run did not finish writing), as for a create that completed;
 * - no history at all (a lost or replaced state store, or a record someone linked by hand): every field
 *   the two sides hold differently is a conflict for the configured policy (merge/rebuild.ts), recorded
 *   in the store for `cosell status` and logged at warn — never a silent overwrite.
 *
 * Either way a value only one side holds is filled in on the other (merge/rebuild.ts).
 */
import type { CrmDeal } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import type { Link } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { rebuildBase, type RebuildDecision } from './merge/rebuild.js';
import type { ConflictPolicy } from './merge/three-way.js';
import { readUnit, writeUnit } from './merge/units.js';
import type { PageOutcome } from './page-outcome.js';
import type { PairResult } from './pair.js';
import { recordRebuiltLink } from './rebuild-record.js';
import { referralWithIntent } from './seller-intent.js';

export interface LinkFromIds {
  link: Link;
  /** Units the merge must leave for an admin (differences under the manual policy). */
  hold: string[];
}

/**
 * Whose version is the truth when one of our own create intents names the pair (a run stopped between
 * the create and the link): the record the create was made from, and when that create began. Undefined:
 * no history at all.
 */
function interruptedCreateSource(ctx: RunContext, crmId: string, referralId: string): { policy: ConflictPolicy; since: string } | undefined {
  const ofReferral = ctx.records.getIntent('referral', crmId);
  if (ofReferral) return { policy: 'crm-wins', since: ofReferral.createdAt };
  const ofCrmRecord = ctx.records.getIntent('crm', referralId);
  if (ofCrmRecord) return { policy: 'partner-center-wins', since: ofCrmRecord.createdAt };
  return undefined;
}

/**
 * Units a CRM create may write after the record itself, in later calls (related rows: Salesforce saves
 * the team, the solutions and the contact role after the opportunity), which a stopped run can leave unwritten.
 */
const WRITTEN_AFTER_THE_RECORD: ReadonlySet<string> = new Set(['team', 'solutions', 'customerContact']);

/**
 * A CRM record created for a referral that Partner Center has not changed since the create began: the
 * create wrote the referral as it is now onto the record, so where the record itself holds something else,
 * a seller edited it after the create (a value the create wrote, it wrote from this referral). Those units
 * are based on the referral, as a completed create's link is, and reach Partner Center as the seller's
 * edits. Taking Partner Center's values there lost the seller's edits made before the next run linked the
 * pair (notes, close date; found by the model-based test: a targeted sync that failed after its create).
 * Related rows and a referral changed since the create keep the source's values (rebuildBase).
 */
function sellerEditsSinceCreate(base: Referral, referral: Referral, decisions: readonly RebuildDecision[], since: string): Referral {
  if (!referral.updatedAt || Date.parse(referral.updatedAt) > Date.parse(since)) return base;
  return decisions
    .filter((d) => d.winner === 'partner-center' && d.settledBy === 'policy' && !WRITTEN_AFTER_THE_RECORD.has(d.unit))
    .reduce((acc, d) => writeUnit(acc, d.unit, readUnit(referral, d.unit)), base);
}

function describe(decisions: readonly RebuildDecision[]): string {
  const outcome = (d: RebuildDecision) => d.winner ?? (d.settledBy === 'closed' ? 'kept in the CRM only' : 'left for an admin');
  const why = (d: RebuildDecision) => (d.settledBy === 'terminal' || d.settledBy === 'closed' ? ' (closed deal)' : d.settledBy === 'lifecycle' ? ' (the status further along; it moves only forward)' : '');
  return decisions.map((d) => `${d.unit} → ${outcome(d)}${why(d)}`).join(', ');
}

/** A link whose base is the referral as Partner Center returned it (a create's own result). */
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
  const source = interruptedCreateSource(ctx, deal.crmId, referralId);
  // Linked: whichever create a stopped run began for this pair is finished.
  outcome.apply.push(async (tx) => {
    await tx.deleteIntent('referral', deal.crmId);
    await tx.deleteIntent('crm', referralId);
  });
  const policy = source?.policy ?? ctx.options.policy;
  const crmView = { ...referralWithIntent(deal), crmId: deal.referral.crmId ?? deal.crmId };
  const rebuilt = rebuildBase({ crm: crmView, pc: referral, policy, crmModifiedAt: deal.modifiedAt, ...(referral.updatedAt ? { pcUpdatedAt: referral.updatedAt } : {}) });
  if (source) {
    ctx.logger.info({ crmId: deal.crmId, referralId, differed: describe(rebuilt.decisions) }, 'linking a create that a stopped run made');
    const base = source.policy === 'partner-center-wins' ? sellerEditsSinceCreate(rebuilt.base, referral, rebuilt.decisions, source.since) : rebuilt.base;
    return { link: { ...link, base }, hold: [] };
  }
  ctx.tally.add('rebuilt');
  if (rebuilt.decisions.length > 0) {
    ctx.tally.add('rebuiltFields', rebuilt.decisions.length);
    ctx.logger.warn({ crmId: deal.crmId, referralId, policy, differed: describe(rebuilt.decisions) }, 'link rebuilt from referral IDs: the two sides differed and the conflict policy decided');
  }
  outcome.apply.push((tx) => recordRebuiltLink(tx, rebuilt.decisions, policy, ctx.nowIso));
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
