/**
 * What the next sync would write for one record, found by running the engine's own path for it as a dry
 * run (dry-run.ts): `cosell explain` shows this, so its "the next sync would send" cannot drift from what a
 * sync decides (an open conflict's held fields, the Won hold, parking by Partner Center's rules, a paused
 * pair, consent). The record goes where a run would take it: a referral Partner Center changed since the
 * link was made is decided in the Partner Center phase (which reads the CRM record with it); otherwise the
 * CRM record is decided as the CRM phase decides a listed record.
 */
import type { Referral } from '../model/referral.js';
import type { Link } from '../store/state-store.js';
import { runContext, type EngineDeps, type EngineOptions } from './context.js';
import type { CrmDeal } from './crm-port.js';
import { processCrmPage } from './crm-phase.js';
import type { PlannedChange } from './dry-run-plan.js';
import { withoutEchoes } from './echoes.js';
import { processPartnerCenterPage } from './partner-center-phase.js';

export type PreviewTarget =
  /** A linked pair: the CRM record and Partner Center's referral as read now. */
  | { link: Link; deal: CrmDeal; referral: Referral }
  /** A CRM record without a link. */
  | { deal: CrmDeal; link?: undefined; referral?: undefined }
  /** A referral without a link. */
  | { referral: Referral; link?: undefined; deal?: undefined };

export async function previewRecord(deps: EngineDeps, target: PreviewTarget, options: Partial<EngineOptions> = {}): Promise<PlannedChange[]> {
  const ctx = runContext(deps, { ...options, dryRun: true });
  const page = { referrals: target.referral ? [target.referral] : [], unmappable: [], cursor: undefined };
  const { page: changed } = await withoutEchoes(ctx, page);
  if (changed.referrals.length > 0 || !target.deal) await processPartnerCenterPage(ctx, changed);
  else await processCrmPage(ctx, { deals: [target.deal], deletedIds: [] });
  return ctx.plan ?? [];
}
