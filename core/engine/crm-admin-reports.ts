/**
 * What a CRM adapter tells an admin rather than the engine (part of the adapter contract, crm-port.ts):
 * its own sales stages for stage mapping, `cosell setup` and `cosell check` reports, and API usage for
 * `cosell serve`'s metrics.
 */
/** A stage of the CRM's own sales process, with what the CRM itself says about it. */
export interface CrmStage {
  /** The stage's API value (Salesforce `ApiName`/`MasterLabel`, Dynamics stage name). */
  name: string;
  isClosed: boolean;
  isWon: boolean;
  /** Default probability in percent, if the CRM has one. */
  probability?: number;
  isActive: boolean;
}

export interface CheckItem {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CheckReport {
  ready: boolean;
  items: CheckItem[];
}

export interface SetupReport {
  created: string[];
  alreadyPresent: string[];
  /** Fields already present that setup changed (picklist values a newer connector writes, added): `Object.Field (+value)`. */
  updated?: string[];
}

export interface CrmApiUsage {
  /** Requests left in the CRM's current allowance, as its last answer said (undefined: not said yet). */
  remaining?: number;
  /** Times the CRM throttled us (429 / 503 with Retry-After) and a call waited. */
  throttleWaits?: number;
}
