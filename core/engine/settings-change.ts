/**
 * A record parked for a refusal the settings decide is retried in the first run on new settings, not at the
 * end of its back-off (10 minutes, doubling up to 24 hours; backoff.ts). An admin who gives deals without a
 * location one (`sync.defaultLocation`, `locationByOwner`), maps a CRM stage that had no meaning, or changes
 * a field mapping, expects the deals that waited for it to go through at the next run, as the guide's rule
 * asks ("retried once fixed"); neither change feed lists a settings change, and since the re-read of every
 * parked record after each run went (2026-12-07: it cost every idle run a CRM call), such a fix waited.
 *
 * Whoever loads the settings hashes the part that decides a sync (`EngineOptions.settingsDigest`,
 * core/cli/runtime.ts); the store keeps the digest the last run saw. A run that sees another one makes
 * every parked record due now; parked-retries.ts then takes them 50 a run, read fresh, as after any mass
 * refusal. A first digest (a store from before this, or a new install) is only kept: nothing says the
 * settings changed. A dry run changes nothing.
 */
import type { RunContext } from './context.js';

export const SETTINGS_META = 'settings.digest';

/** Makes every parked record due when the settings changed since the last run; answers how many it made due. */
export async function retryParkedAfterSettingsChange(ctx: RunContext): Promise<number> {
  const digest = ctx.options.settingsDigest;
  if (!digest || ctx.plan) return 0;
  const seen = await ctx.store.getMeta(SETTINGS_META);
  if (seen === digest) return 0;
  const waiting = typeof seen === 'string' ? (await ctx.store.listParked()).filter((p) => p.retryAt === undefined || p.retryAt > ctx.nowIso) : [];
  await ctx.store.transaction(async (tx) => {
    for (const parked of waiting) await tx.park({ ...parked, retryAt: ctx.nowIso });
    await tx.putMeta(SETTINGS_META, digest, ctx.nowIso);
  });
  return waiting.length;
}
