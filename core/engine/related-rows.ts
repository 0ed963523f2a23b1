/**
 * What the CRM adapters remember between runs and what the engine tells them it already holds: the
 * related-row index (a deleted related row names only itself) and the known record versions (echo
 * suppression). Part of the adapter contract (crm-port.ts re-exports it).
 */

/**
 * The opportunity each related row (team member, contact role, solution row) belongs to, kept between
 * runs by the state store. A CRM whose deletion feed names only the deleted row (Salesforce's getDeleted)
 * finds the opportunity to re-read here. Rows reported gone stay findable until `forgetRelatedGone`, so
 * that a deletion window read again after a crash still finds its opportunities.
 */
export interface RelatedRow {
  rowId: string;
  parentId: string;
  /** The row's version as read in run `run` (the adapter's hash): known only once that run is settled. */
  version?: string;
  run?: string;
}

export interface RelatedRowIndex {
  /**
   * `version` and `run`: what the deal read of the row in that run, pending until `settleRelatedVersions(run)`
   * says the engine committed the run; a row remembered without one keeps its pending version.
   */
  rememberRelatedRows(rows: readonly RelatedRow[]): Promise<void>;
  /** The run's pending versions become the known ones (the engine committed every page of it); returns how many. */
  settleRelatedVersions(run: string): Promise<number>;
  /** Row ID → opportunity ID, for the rows it knows (gone or not). */
  relatedParents(rowIds: readonly string[]): Promise<Map<string, string>>;
  /** Row ID → its known (settled) version, for the rows that have one. */
  relatedVersions(rowIds: readonly string[]): Promise<Map<string, string>>;
  markRelatedGone(rowIds: readonly string[], at: string): Promise<void>;
  /** Drops rows reported gone before `before`; returns how many. */
  forgetRelatedGone(before: string): Promise<number>;
}

/**
 * The versions of CRM records the engine already holds (issue 13's echo suppression): a changed row whose
 * version (`CrmDeal.etag`, as the adapter computes it for a listed row) is known costs the adapter
 * nothing more than listing it — no related-row read, no page entry. The engine answers from its links
 * (core/engine/echoes.ts).
 */
export interface KnownVersions {
  /**
   * Reads what the engine holds about these records (one store read: the state store may be a network
   * away), before the adapter asks `isKnown` / `isSettled` about them. A record not prepared is answered
   * "not known", so the adapter reads it in full: never wrong, only dearer.
   */
  prepare(crmIds: readonly string[]): Promise<void>;
  isKnown(crmId: string, version: string): boolean;
  /**
   * Whether the engine holds the record settled (linked, nothing pending on it; or parked before it had a
   * link, at a version the park keeps, its retry not due: echoes.ts): then a related-row change
   * the adapter already handed over for it, listed again by a re-read margin, carries nothing new.
   */
  isSettled?(crmId: string): boolean;
  /**
   * Whether a change in the record's related rows alone (not in its own version) gives the engine nothing to
   * do now, whatever the rows hold: the adapter then reads it only when its own version is not known. Said
   * during a Partner Center outage of the records the outage already told or read (waiting-changes.ts): what
   * a record is told then depends on its own fields only, and the first full run after the outage lists the
   * rows again from the cursor it left. Asked after `prepare`, as `isSettled`; without it every change is read.
   */
  ignoresRelatedRows?(crmId: string): boolean;
}
