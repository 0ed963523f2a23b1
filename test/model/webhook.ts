/**
 * A Partner Center webhook as `cosell serve` handles it (core/serve/sync-service.ts): the referrals it names
 * are fetched one by one and synced at once by a targeted sync, between the polls and with the faults on.
 * The change feed's watermark does not move, so the next full run reads those referrals again and must find
 * nothing more to write; a new referral a targeted sync created in the CRM must not be created twice.
 */
import { engineOptionsFor } from '../../core/cli/runtime.js';
import { runTargetedSync } from '../../core/engine/targeted-sync.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import type { World } from '../../sandbox/world.js';

/** Up to `count` of our referrals, the most recently changed first (what a webhook burst names). */
export function recentlyChanged(world: World, count: number): string[] {
  return world.set.partnerCenter.store
    .ownedBy(OUR_PARTNER_ORG)
    .sort((a, b) => Date.parse(b.updatedDateTime ?? '') - Date.parse(a.updatedDateTime ?? ''))
    .slice(0, count)
    .map((r) => r.id);
}

/** Runs the targeted sync a webhook naming `referralIds` starts; returns what it did, for the replay log. */
export async function webhookSync(world: World, referralIds: string[]): Promise<string> {
  if (referralIds.length === 0) return 'a webhook names no referral';
  // `cosell serve` polls at its start, before any webhook's targeted sync (core/serve/sync-service.ts).
  const polled = world.runtime.store.getCursor('crm') ? '' : `after serve's first poll (${(await world.sync().catch(() => undefined))?.outcome ?? 'failed'}), `;
  const { runtime } = world;
  runtime.partnerCenterClient.beginRun();
  const report = await runTargetedSync(runtime.engineDeps(), referralIds, engineOptionsFor(runtime.config));
  const failed = report.failed.map((f) => f.referralId);
  return `${polled}a webhook names ${referralIds.join(', ')}: targeted sync ${report.outcome}${report.message ? ` (${report.message})` : ""}${failed.length ? ` (failed: ${failed.join(', ')})` : ''}`;
}
