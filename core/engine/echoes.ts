/**
 * Echo suppression (issue 13): a version of a record the engine already holds — one it read and synced,
 * or its own write — carries nothing new and must cost nothing. Partner Center's feed hands back every
 * referral the engine created or patched, the CRM's feed every opportunity it wrote; without this the
 * run after a bulk sync read every one of them back from the CRM and merged it again.
 *
 * A link that still has work of its own (an open conflict, a parked record, a hold that is due) is never
 * an echo: those are read as before. A deal parked before it had a link is one at the version its park
 * keeps, until its retry is due (`isParkedEcho`); an orphaned link's record at the link's version, until its
 * check is due (`crmSettled`); a record with neither, at the version the engine's own write left
 * (unlinked-versions.ts).
 */
import type { KnownVersions } from './crm-port.js';
import type { Referral } from '../model/referral.js';
import { PageState, type LinkVersion } from '../store/async-state-store.js';
import type { ParkedRecord, Side } from '../store/state-store.js';
import type { RunContext } from './context.js';
import { isWaitingRefusal } from './crm-refusals.js';
import { isDue } from './parking.js';
import { parseUnlinkedVersions, UNLINKED_VERSIONS_META, type UnlinkedVersions } from './unlinked-versions.js';

/** What deciding "settled" consults: a page's records (page-records.ts) or a bare snapshot (`PageState`). */
export interface SettledLookups {
  openConflictFor(crmId: string): unknown;
  getParked(side: Side, recordId: string): ParkedRecord | undefined;
}

/** A bare store snapshot as the lookups deciding "settled" need (read before a page's own view exists). */
export function stateLookups(state: () => PageState<LinkVersion>): SettledLookups {
  return new StateLookups(state);
}

/**
 * Methods, not arrows made per call: a closure made per call loses its optimized code at each full GC, and
 * the engine's 1% cycle compiled these again every cycle (bench/README.md, "Engine CPU per changed record").
 */
class StateLookups implements SettledLookups {
  constructor(private readonly state: () => PageState<LinkVersion>) {}

  openConflictFor(crmId: string): unknown {
    return this.state().openConflictFor(crmId);
  }

  getParked(side: Side, recordId: string): ParkedRecord | undefined {
    return this.state().parked(side, recordId);
  }
}

/** Whether a link is settled: nothing but a change on one side can give it work. */
function settled(records: SettledLookups, link: LinkVersion, nowIso: string): boolean {
  return link.state === 'active' && nothingPending(records, link, nowIso);
}

/**
 * Whether a link is settled as far as its CRM record's listing goes: as `settled`, or orphaned
 * (`referral-missing`) with its check not due. An orphaned record's read only keeps its status shown
 * (orphaned-record.ts), so a version the link holds carries nothing new, and the link's check comes at its
 * own time (orphan-checks.ts), not from the feed. Without this, the status written onto an orphaned record
 * was read back by the next run (issue 13). Not for Partner Center's feed: a referral listed there again
 * is one Partner Center shows again.
 *
 * A referral parked for the CRM's refusal of its update, its retry not due, leaves the link settled here
 * too: the record keeps showing the refusal and the same write waits for the back-off (crm-refusals.ts
 * `pendingRefusal`), so a read of a version the link holds writes nothing, and the retry comes from
 * parked-retries.ts. Without this, the refusal written onto the record was read back (issue 13).
 */
function crmSettled(records: SettledLookups, link: LinkVersion, nowIso: string): boolean {
  return (link.state === 'active' || link.state === 'referral-missing') && nothingPending(records, link, nowIso, isWaitingRefusal);
}

/**
 * No revisit due, no open conflict, nothing parked for the record, and the referral not parked, or parked
 * only as `quietPark` allows (without it, every park of the referral has work: the Partner Center feed's rule).
 */
function nothingPending(records: SettledLookups, link: LinkVersion, nowIso: string, quietPark?: (parked: ParkedRecord, nowIso: string) => boolean): boolean {
  if (link.heldUntil !== undefined && link.heldUntil <= nowIso) return false;
  if (records.openConflictFor(link.crmId)) return false;
  const referralPark = records.getParked('partner-center', link.referralId);
  return !records.getParked('crm', link.crmId) && (referralPark === undefined || quietPark?.(referralPark, nowIso) === true);
}

/**
 * A deal parked before it had a link (refused before it reached Partner Center), listed at the version the
 * park holds: the one the engine last read it at or its own write of the reason left. Nothing in it is new,
 * and its retry comes from its back-off (parked-retries.ts), so it is not read again until its retry is due.
 * Without this, a parked deal was read back after the write of its reason (issue 13), on Dynamics 365 once
 * and on Salesforce by every run whose re-read margin still reached that write.
 */
function isParkedEcho(parked: ParkedRecord | undefined, version: string, nowIso: string): boolean {
  return isQuietPark(parked, nowIso) && parked!.crmEtag === version;
}

/**
 * Such a deal held at a known version, its retry not due: nothing but a change can give it work, so a
 * related row its park already saw (listed again by the re-read margin) is nothing new either. Without
 * this, the rows a seller saved with a new deal that was parked at once read it again in every run of
 * the next five minutes (Salesforce's margin).
 */
function isQuietPark(parked: ParkedRecord | undefined, nowIso: string): boolean {
  return parked?.crmEtag !== undefined && !isDue(parked, nowIso);
}

/** A referral whose eTag is the one the link stored after the engine's own last read or write. */
export function isPartnerCenterEcho(records: SettledLookups, link: LinkVersion, referral: Referral, nowIso: string): boolean {
  return referral.eTag !== undefined && link.pcEtag === referral.eTag && settled(records, link, nowIso);
}

/**
 * A Partner Center page without its echoes, told from the links' versions alone (`loadVersions`), so that
 * the page loads whole links (each with its base, a whole referral) only for referrals it has work for:
 * the read-back after a bulk sync is all echoes, and loading and parsing 50,000 links twice over (here and
 * in the read-ahead) cost a third of that run's CPU (issue 13). Returns how many echoes were left out.
 */
export async function withoutEchoes<P extends { referrals: Referral[] }>(ctx: Pick<RunContext, 'store' | 'nowIso'>, page: P): Promise<{ page: P; echoes: number }> {
  const candidates = page.referrals.filter((r) => r.eTag !== undefined && r.referralId !== undefined);
  if (candidates.length === 0) return { page, echoes: 0 };
  const state = new PageState(await ctx.store.loadVersions({ referralIds: candidates.map((r) => r.referralId!) }));
  const lookups = stateLookups(() => state);
  const isEcho = (referral: Referral): boolean => {
    const link = referral.referralId === undefined ? undefined : state.linkByReferralId(referral.referralId);
    return link !== undefined && isPartnerCenterEcho(lookups, link, referral, ctx.nowIso);
  };
  const referrals = page.referrals.filter((r) => !isEcho(r));
  return { page: { ...page, referrals }, echoes: page.referrals.length - referrals.length };
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
  // The links' versions only (`loadVersions`), not their bases: a whole referral each, read and parsed for
  // every listed row, when an echo check needs a version and a state.
  let page = new PageState<LinkVersion>({ links: [], parked: [], openConflicts: [] });
  const lookups = stateLookups(() => page);
  // Read once, the first time a listed record has neither link nor park (unlinked-versions.ts).
  let unlinked: UnlinkedVersions | undefined;
  return {
    async prepare(crmIds: readonly string[]): Promise<void> {
      page = new PageState(await ctx.store.loadVersions({ crmIds }));
      if (unlinked === undefined && crmIds.some((id) => !page.linkByCrmId(id) && !page.parked('crm', id))) {
        unlinked = parseUnlinkedVersions(await ctx.store.getMeta(UNLINKED_VERSIONS_META));
      }
    },
    isKnown(crmId: string, version: string): boolean {
      const link = page.linkByCrmId(crmId);
      if (link !== undefined) return link.crmEtag === version && crmSettled(lookups, link, ctx.nowIso);
      const parked = page.parked('crm', crmId);
      if (parked !== undefined) return isParkedEcho(parked, version, ctx.nowIso);
      // The engine's own write on a record it keeps nothing else for (a copy's status emptied).
      return unlinked?.[crmId]?.etag === version;
    },
    isSettled(crmId: string): boolean {
      const link = page.linkByCrmId(crmId);
      if (link === undefined) return isQuietPark(page.parked('crm', crmId), ctx.nowIso);
      return crmSettled(lookups, link, ctx.nowIso);
    },
  };
}
