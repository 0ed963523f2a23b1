/**
 * Deletions a CRM could no longer list. When the change feed says its deletions are incomplete (a pause
 * longer than the CRM keeps deletions, an expired change-tracking token), every linked record is checked
 * for existence through the adapter, and the missing ones are orphaned exactly as a listed deletion would
 * be (crm-phase.ts): otherwise a referral would keep an active link to a record that is gone.
 */
import type { RunContext } from './context.js';

/** Links read from the store per step, so that a large store is never loaded at once. */
const LINKS_PER_STEP = 5000;

/** The CRM IDs of active links whose records the CRM no longer has. */
export async function missingLinkedRecords(ctx: RunContext): Promise<string[]> {
  const opportunities: string[] = [];
  for (let offset = 0; ; offset += LINKS_PER_STEP) {
    const links = await ctx.store.listLinks({ state: 'active', limit: LINKS_PER_STEP, offset });
    // A lead the connector created is linked too, but it is not an opportunity: the opportunities' check
    // would find it "gone" (until 2026-12-06 every lead's link was orphaned after such a pause, Dynamics 365).
    // The step's own IDs are looked up among the leads, so every linked lead is known however many there are.
    const ids = links.map((l) => l.crmId);
    const leads = new Set((await ctx.store.leads.getLeads(ids)).map((l) => l.leadId));
    opportunities.push(...ids.filter((crmId) => !leads.has(crmId)));
    if (links.length < LINKS_PER_STEP) break;
  }
  const missing = opportunities.length > 0 ? await ctx.crm.missingIds(opportunities) : [];
  ctx.logger.warn(
    { event: 'crm.deletions_gap', linked: opportunities.length, missing: missing.length },
    `${ctx.crm.displayName} could not list every deletion since the last sync; checked that each of the ${opportunities.length} linked records still exists: ${missing.length} are gone and are treated as deleted`,
  );
  return missing;
}
