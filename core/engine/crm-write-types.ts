/**
 * What the engine writes to a CRM and what each write reports back ({@link CrmWrite}, {@link CrmWriteResult}),
 * and the lead a lead referral became ({@link CrmLead}): the write half of the CRM port (crm-port.ts; crm-writes.ts batches them), kept
 * apart so the port file holds the reads and the adapter interface.
 */
import type { CloseReason } from '../model/enums.js';
import type { Referral } from '../model/referral.js';
import type { SyncStatus } from '../model/sync-status.js';

/**
 * One write to the CRM. `key` is the engine's own identifier for the write (a referral ID for a
 * create, the CRM ID for an update) and comes back on the result.
 */
export type CrmWrite =
  | {
      kind: 'create';
      key: string;
      /** The referral to create an opportunity for; its `referralId` is stored on the record. */
      referral: Referral;
      status: SyncStatus;
      /** `lead`: create the CRM's Lead record instead (a referral Partner Center classifies as a lead). */
      as?: 'lead';
    }
  | {
      kind: 'update';
      key: string;
      crmId: string;
      /** Concurrency token from the read; an adapter whose CRM has ETags sends `If-Match`. */
      etag?: string;
      /** The whole canonical deal after the merge. */
      referral: Referral;
      /** The canonical field paths that changed; the adapter writes only the CRM fields behind them. */
      changedFields: string[];
      /**
       * The record's team, solutions and contact as the engine read them, when it did: a child row not here
       * was added since (a seller's save between the read and this write) and is kept (related-sets.ts).
       */
      asRead?: Pick<Referral, 'team' | 'solutions' | 'customerContact'>;
      status?: SyncStatus;
      /** `lead`: the record is a CRM lead the connector created, not converted yet (its lead mapping applies). */
      target?: 'lead';
    }
  | {
      kind: 'status';
      key: string;
      crmId: string;
      status: SyncStatus;
      target?: 'lead';
      /**
       * The record's version as the engine read it, when the write is made on that read: the adapter then
       * checks it as for an update, and a write no one else's save preceded reports its new version
       * (`CrmWriteResult.etag`), so the engine holds its own write and never reads it back (a parked deal's
       * reason: park-write-read-back.test.ts). A stale one is refused as `conflict`; the engine sends the
       * status again without it (crm-writes.ts).
       */
      etag?: string;
      /**
       * Empty every status field the connector writes instead (`status` is not written): the record has no
       * link and is not opted in, yet shows a status, copied with it from a synced record (a clone) or left from
       * a sync it no longer takes part in. Such a record says nothing, as one never synced does.
       */
      cleared?: true;
    };

/**
 * A lead the connector created for a lead referral, as the CRM holds it now: whether the seller converted
 * it, and the seller's answer to the referral given on the lead (accept, or decline with its reason).
 */
export interface CrmLead {
  leadId: string;
  /** The referral ID the lead carries. */
  referralId?: string;
  /** The opportunity the seller converted (Salesforce) or qualified (Dynamics) the lead into. */
  convertedTo?: string;
  response?: 'accept' | 'decline';
  closeReason?: CloseReason;
  /** The CRM server's modification timestamp of the lead, ISO 8601 UTC. */
  modifiedAt?: string;
  /**
   * The connector's status fields as the lead holds them (sync state and message, Partner Center's status
   * and link, the answer-by date), in the adapter's terms: only {@link CrmAdapter.showsLeadStatus} reads it.
   */
  shownStatus?: Readonly<Record<string, unknown>>;
}

export type CrmWriteResult =
  | {
      key: string;
      ok: true;
      crmId: string;
      /** The record's server modification time after the write, reported under the same rule as `etag`. */
      modifiedAt?: string;
      /**
       * The record's version after the write, reported only when no one else can have changed the record
       * between the engine's read and this write (an update sent with the read's ETag): the engine then
       * treats that version as its own echo and never reads it back. A create reports none: the engine
       * reads a record it created once, to learn what the CRM made of it.
       */
      etag?: string;
      /**
       * Other records whose deal this write changed too: the customer account or contact it edited is theirs as
       * well (several deals of one customer). The engine reads them again in the same run, so that their
       * referrals take the change before the run ends (shared-customers.ts).
       */
      customerSharedWith?: readonly string[];
      /**
       * The connector's own status fields as the CRM saved them, when the org's save-time automation rewrote
       * one of them (connectors/save-rewrites.ts): the record's form of the status written, kept with it
       * (`SyncStatus.savedAs`) so that a later read does not take it for a seller's edit and write it again.
       */
      savedStatus?: Readonly<Record<string, unknown>>;
    }
  | {
      key: string;
      ok: false;
      /** `conflict` for a stale ETag (HTTP 412): the engine re-reads and merges again. */
      code: 'conflict' | 'validation' | 'not_found' | 'transient' | 'failed';
      message: string;
      /** The canonical field path the CRM named, if it named one. */
      field?: string;
      /** The CRM's own code for the refusal (`STRING_TOO_LONG`, `0x80044331`), for people and the parked record. */
      rule?: string;
      /**
       * A create only: the record it saved before it failed (a CRM that writes a new record's related rows in
       * later calls, as Salesforce does). The run reads it as one of its own creates (crm-listing.ts), and the
       * CRM phase finishes it as a create a stopped run made (link-from-ids.ts).
       */
      savedCrmId?: string;
    };

/** A status-only write. */
export type CrmStatusWrite = CrmWrite & { kind: 'status' };

/**
 * A status-only write onto a deal as read, carrying the version it was read at (`etag`): the adapter checks
 * it as for an update, and a write no one else's save preceded reports the version it made, which the engine
 * keeps so that later listings do not read its own write back (park, link or unlinked-versions.ts).
 */
export function statusWriteOnRead(deal: { crmId: string; etag?: string }, status: SyncStatus, cleared?: true): CrmStatusWrite {
  return { kind: 'status', key: deal.crmId, crmId: deal.crmId, status, ...(cleared ? { cleared } : {}), ...(deal.etag ? { etag: deal.etag } : {}) };
}
