/**
 * What the engine needs from Partner Center, stated as a port so that the engine depends on behaviour,
 * not on the client class (connectors/partner-center/sync-port.ts adapts the real client). The CRM's port
 * is crm-port.ts beside it; the engine imports nothing from connectors/ (test/unit/import-boundaries.test.ts).
 */
import type { Referral } from '../model/referral.js';
import type { StoredCursor } from '../store/state-store.js';

export interface PartnerCenterPage {
  referrals: Referral[];
  /** Referrals the mapping could not read; parked with the message, never silently skipped. */
  unmappable: { id: string; message: string }[];
  /** Checkpoint after the page is processed. */
  cursor: StoredCursor | undefined;
}

export interface PartnerCenterPort {
  /** Referrals changed since `cursor`, oldest first, page by page, overlap already de-duplicated. */
  changes(cursor: StoredCursor | undefined): AsyncIterable<PartnerCenterPage>;
  get(referralId: string): Promise<Referral>;
  /**
   * Creates once per CRM ID (`externalReferenceId`): looks up before any retry of a failed attempt, and
   * before the first attempt too when `lookupFirst` (an earlier run may have created it already).
   */
  createIdempotent(referral: Referral, options?: { lookupFirst?: boolean }): Promise<{ referral: Referral; created: boolean }>;
  /** Sends `next` as JSON Patch against `previous` (with its eTag): a stale eTag throws ConflictError. */
  update(previous: Referral, next: Referral): Promise<Referral>;
  /**
   * Whether our organisation may create solution assessment deals; undefined when Partner Center does not
   * say (then Partner Center itself judges the create).
   */
  assessmentsAllowed(): Promise<boolean | undefined>;
  /**
   * Creates and updates the engine may have in flight at once (the API has no batch); 1 when absent.
   * The client pauses every request while Partner Center asks it to (Retry-After).
   */
  readonly maxConcurrency?: number;
  /** A link a seller can open to see the deal in Partner Center. */
  referralLink(referralId: string): string;
  /** Requests made so far (for the per-run budget and the status report). */
  callCount(): number;
}
