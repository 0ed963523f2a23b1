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
import type { Link, StateStore } from '../store/state-store.js';

/** Whether a link is settled: nothing but a change on one side can give it work. */
function settled(store: StateStore, link: Link, nowIso: string): boolean {
  if (link.state !== 'active') return false;
  if (link.heldUntil !== undefined && link.heldUntil <= nowIso) return false;
  if (store.openConflictFor(link.crmId)) return false;
  return !store.getParked('crm', link.crmId) && !store.getParked('partner-center', link.referralId);
}

/** A referral whose eTag is the one the link stored after the engine's own last read or write. */
export function isPartnerCenterEcho(store: StateStore, link: Link, referral: Referral, nowIso: string): boolean {
  return referral.eTag !== undefined && link.pcEtag === referral.eTag && settled(store, link, nowIso);
}

/**
 * The CRM versions the engine holds, for the adapter to leave out before it reads a changed record in
 * full: the row's version (`CrmDeal.etag`) equals the one the link stored at the last read or at the
 * engine's own write (adapters report a write's version only when no one else can have written between
 * the engine's read and its write, see `CrmWriteResult.etag`). A version, not a modification time: two
 * saves in the same second share a timestamp.
 */
export function knownCrmVersions(store: StateStore, nowIso: string): KnownVersions {
  return {
    isKnown(crmId: string, version: string): boolean {
      const link = store.getLinkByCrmId(crmId);
      return link !== undefined && link.crmEtag === version && settled(store, link, nowIso);
    },
    isSettled(crmId: string): boolean {
      const link = store.getLinkByCrmId(crmId);
      return link !== undefined && settled(store, link, nowIso);
    },
  };
}
