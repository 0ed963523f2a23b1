/**
 * Everything one sync run needs, passed explicitly: the two sides, the store, the clock, the policy, and
 * a tally of what happened (the run report and `cosell status` read it).
 */
import type { CrmAdapter } from './crm-port.js';
import type { Logger } from '../logger.js';
import type { AsyncStateStore } from '../store/async-state-store.js';
import type { StateStore } from '../store/state-store.js';
import { PageRecords } from './page-records.js';
import type { ConflictPolicy } from './merge/three-way.js';
import type { PartnerCenterPort } from './ports.js';
import type { PlannedChange } from './dry-run-plan.js';
import { writesOf } from '../run-counts.js';
import { asyncStateStore } from '../store/async-over-sync.js';
import { dryRunSides } from './dry-run.js';

export interface EngineOptions {
  policy: ConflictPolicy;
  /** Hold a Won on a registrable deal until this many hours after creation (0 = send at once). */
  holdWonHours: number;
  /** Stop the run after this many Partner Center requests (checked between pages). */
  partnerCenterCallBudget?: number;
  /** The location scope for new outbound deals whose CRM record names none. */
  defaultLocation?: string;
  /** The location for new outbound deals by CRM record owner (user ID or email), before `defaultLocation`. */
  locationByOwner?: Readonly<Record<string, string>>;
  /** The location by the record owner's business unit (ID or name), after `locationByOwner`. */
  locationByBusinessUnit?: Readonly<Record<string, string>>;
  /** Referrals Partner Center classifies as leads become CRM leads (core/model/lead.ts). */
  leadsAsCrmLeads?: boolean;
  /**
   * A digest of the settings that decide a sync (config/settings-digest.ts): when it differs from the last
   * run's, every parked record is retried at once (settings-change.ts). Absent: settings are not tracked.
   */
  settingsDigest?: string;
  /** Stops the run between pages (SIGTERM, a lost runner lock); what is committed stays committed. */
  signal?: AbortSignal;
  /** Compute and report, write nothing to either side (the store is not changed either). */
  dryRun?: boolean;
  /** Told when each phase starts and after each page, for a progress display. */
  onProgress?: (progress: SyncProgress) => void;
  /** Told Partner Center's `updatedAt` of each referral whose change was written to the CRM (the serve's lag metric). */
  onPartnerCenterChangeWritten?: (updatedAt: string) => void;
}

/** Where a run is: which side it reads, how many pages so far, records read and written in the run. */
export interface SyncProgress {
  phase: 'partner-center' | 'crm' | 'revisits';
  pages: number;
  read: number;
  written: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = { policy: 'newest-wins', holdWonHours: 72 };

export interface EngineDeps {
  crm: CrmAdapter;
  partnerCenter: PartnerCenterPort;
  /** A synchronous store (a single install's SQLite, the in-memory one) is used through its asynchronous wrapper. */
  store: AsyncStateStore | StateStore;
  logger: Logger;
  /** The engine's notion of now, for holds and status times. Watermarks never use it. */
  now: () => Date;
}

export type TallyKey =
  | 'pcRead' | 'crmRead' | 'pcCreated' | 'crmCreated' | 'pcUpdated' | 'crmUpdated' | 'statusWritten'
  /** CRM leads created for lead referrals, and updates to leads not converted yet (never counted as opportunities). */
  | 'leadsCreated' | 'leadsUpdated'
  | 'parked' | 'conflicts' | 'held' | 'orphaned'
  /** Linked deals closed in Partner Center whose CRM record was edited since (sync state `closed`). */
  | 'closed' | 'skipped' | 'echoes' | 'linked' | 'pcPages' | 'crmPages'
  | 'crmWriteCalls' | 'crmReadCalls' | 'errors' | 'retried'
  /** Links made from referral IDs without history (a lost store), and the fields whose sides differed. */
  | 'rebuilt' | 'rebuiltFields'
  /** Orphaned links whose referral was read again on their back-off (orphan-checks.ts). */
  | 'orphanChecks'
  /** Records told, in a run that could not reach Partner Center, that their changes wait for it (waiting-changes.ts). */
  | 'waiting';

export class Tally {
  readonly counts: Record<string, number> = {};
  readonly notes: string[] = [];

  add(key: TallyKey, n = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }

  get(key: TallyKey): number {
    return this.counts[key] ?? 0;
  }

  /** Writes to either side in this run. */
  writes(): number {
    return writesOf(this.counts);
  }
}

export interface RunContext extends Omit<EngineDeps, 'store'> {
  store: AsyncStateStore;
  /** The records of the page being decided (page-records.ts); `PageRecords.none` outside a page. */
  records: PageRecords;
  options: EngineOptions;
  tally: Tally;
  nowIso: string;
  /** A dry run's planned writes, record by record (see dry-run-plan.ts). */
  plan?: PlannedChange[];
  /** CRM records whose customer the run's own writes changed through another deal, to read again (shared-customers.ts). */
  sharedCustomerDeals: Set<string>;
}

/** The context of one run (or targeted sync) over `deps`, outside any page. */
export function runContext(deps: EngineDeps, options: Partial<EngineOptions>): RunContext {
  const tally = new Tally();
  const sides = { crm: deps.crm, partnerCenter: deps.partnerCenter, store: engineStore(deps.store) };
  const plan: PlannedChange[] | undefined = options.dryRun ? [] : undefined;
  return {
    ...deps,
    // A dry run is the same run over ports that list their writes instead of making them (dry-run.ts).
    ...(plan ? dryRunSides(sides, plan, tally, deps.now) : sides),
    records: PageRecords.none,
    options: { ...DEFAULT_ENGINE_OPTIONS, ...options },
    tally,
    nowIso: deps.now().toISOString(),
    ...(plan ? { plan } : {}),
    sharedCustomerDeals: new Set(),
  };
}

/** The deps' store as the engine uses it: asynchronous. */
export function engineStore(store: AsyncStateStore | StateStore): AsyncStateStore {
  return 'beginOpenTransaction' in store ? asyncStateStore(store) : store;
}
