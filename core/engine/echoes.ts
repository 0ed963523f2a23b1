/**
 * Echo suppression (issue 13): a version of a record the engine already holds — one it read and synced,
 * or its own write — carries nothing new and must cost nothing. Partner Center's feed hands back every
 * referral the engine created or patched, the CRM's feed every opportunity it wrote; without this the
 * run after a bulk sync read every one of them back from the CRM and merged it again.
 *
 * A link that still has work of its own (an open conflict, a parked record, a hold that is due) is never
 * an echo: those are read as before.
 */
import type { KnownVersions } from '../../connectors/types.js';
import type { Referral } from '../model/referral.js';
import { PageState } from '../store/async-state-store.js';
import type { Link, Side } from '../store/state-store.js';
import type { RunContext } from './context.js';

/** What deciding "settled" consults: a page's records (page-records.ts) or a bare snapshot (`PageState`). */
export interface SettledLookups {
  openConflictFor(crmId: string): unknown;
  getParked(side: Side, recordId: string): unknown;
}

/** A bare store snapshot as the lookups deciding "settled" need (read before a page's own view exists). */
export function stateLookups(state: () => PageState): SettledLookups {
  return { openConflictFor: (crmId) => state().openConflictFor(crmId), getParked: (side, recordId) => state().parked(side, recordId) };
}

/** What deciding "settled" and "known" reads of a link: not its base (a whole referral). */
type LinkVersion = Pick<Link, 'crmId' | 'referralId' | 'state' | 'heldUntil' | 'crmEtag'>;

/** Whether a link is settled: nothing but a change on one side can give it work. */
function settled(records: SettledLookups, link: LinkVersion, nowIso: string): boolean {
  if (link.state !== 'active') return false;
  if (link.heldUntil !== undefined && link.heldUntil <= nowIso) return false;
  if (records.openConflictFor(link.crmId)) return false;
  return !records.getParked('crm', link.crmId) && !records.getParked('partner-center', link.referralId);
}

/** A referral whose eTag is the one the link stored after the engine's own last read or write. */
export function isPartnerCenterEcho(records: SettledLookups, link: Link, referral: Referral, nowIso: string): boolean {
  return referral.eTag !== undefined && link.pcEtag === referral.eTag && settled(records, link, nowIso);
}

/**
 * The CRM versions the engine holds, for the adapter to leave out before it reads a changed record in
 * full: the row's version (`CrmDeal.etag`) equals the one the link stored at the last read or at the
 * engine's own write (adapters report a write's version only when no one else can have written between
 * the engine's read and its write, see `CrmWriteResult.etag`). A version, not a modification time: two
 * saves in the same second share a timestamp. The adapter prepares each listed page's IDs: one `loadPage`
 * (no leads: an echo check needs none); a record it did not prepare has no link here, so it is "not
 * known" and read in full.
 */
export function knownCrmVersions(ctx: Pick<RunContext, 'store' | 'nowIso'>): KnownVersions {
  let page = new PageState({ links: [], intents: [], parked: [], openConflicts: [] });
  // Only what the checks read of each link is kept until the next page is prepared, not the links' bases:
  // a whole referral each, 5,000 per Dataverse page, held while the engine worked on the page.
  let links = new Map<string, LinkVersion>();
  const lookups = stateLookups(() => page);
  return {
    async prepare(crmIds: readonly string[]): Promise<void> {
      const snapshot = await ctx.store.loadPage({ crmIds });
      links = new Map(snapshot.links.map(({ crmId, referralId, state, heldUntil, crmEtag }) => [crmId, { crmId, referralId, state, heldUntil, crmEtag }]));
      page = new PageState({ ...snapshot, links: [] });
    },
    isKnown(crmId: string, version: string): boolean {
      const link = links.get(crmId);
      return link !== undefined && link.crmEtag === version && settled(lookups, link, ctx.nowIso);
    },
    isSettled(crmId: string): boolean {
      const link = links.get(crmId);
      return link !== undefined && settled(lookups, link, ctx.nowIso);
    },
  };
}
