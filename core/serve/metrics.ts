/**
 * The connector's Prometheus metrics (prom-client, text format at `GET /metrics`). One registry per
 * process, so tests and a second service in one process do not share counters. Names follow Prometheus's
 * conventions: `_total` counters, `_seconds` durations.
 *
 * Every series about a tenant's work or state carries a `tenant` label: runs, durations, records read and
 * written, API calls, inbound lag, webhook deliveries, throttling and budgets, parked records and open
 * conflicts. A single install is one tenant, `default` (SINGLE_INSTALL_TENANT), so its queries and alerts
 * are written the same way as a multi-tenant install's. A process that runs several tenants' syncs (a
 * worker) keeps one `CosellMetrics` and records each run under its tenant; the state gauges are read from
 * each tenant's own store when scraped (prom-client awaits an async `collect`).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Conflict } from '../store/state-store.js';
import { crmWritesOf } from '../run-counts.js';

/** The `tenant` label of a single install's series. */
export const SINGLE_INSTALL_TENANT = 'default';

export type RunKind = 'poll' | 'targeted';
export type WebhookResult = 'received' | 'verified' | 'refused' | 'duplicate';

/** What one run reports, whichever kind it was. */
export interface RunFigures {
  outcome: string;
  counts: Record<string, number>;
  partnerCenterCalls: number;
}

/** What a CRM adapter can tell about its API use (optional: adapters that do not say are left out). */
export interface ApiUsage {
  service: string;
  /** Waits imposed by the service's throttling (429 / Retry-After) so far. */
  throttleWaits?: number;
  /** Requests left in the service's current allowance (Salesforce daily API requests, Dataverse's window). */
  remaining?: number;
}

export interface TenantApiUsage extends ApiUsage {
  tenant: string;
}

/** The state a tenant's gauges show: a synchronous store or an asynchronous one (SQLite, PostgreSQL). */
export interface GaugeReads {
  countParked(): number | Promise<number>;
  listConflicts(): Conflict[] | Promise<Conflict[]>;
}

export interface TenantGaugeSource {
  tenant: string;
  store: GaugeReads;
}

export interface MetricsSources {
  /** The tenants whose state gauges this process shows, each with its store; read at every scrape. */
  gauges(): readonly TenantGaugeSource[] | Promise<readonly TenantGaugeSource[]>;
  /** API usage per tenant and service, read at every scrape. */
  usage?(): readonly TenantApiUsage[];
}

interface StateReading {
  tenant: string;
  /** Absent when the tenant's store could not be read. */
  parked?: number;
  openConflicts?: number;
}

async function readTenantStates(sources: MetricsSources): Promise<StateReading[]> {
  return Promise.all(
    (await sources.gauges()).map(async ({ tenant, store }) => {
      try {
        const [parked, conflicts] = await Promise.all([store.countParked(), store.listConflicts()]);
        return { tenant, parked, openConflicts: conflicts.length };
      } catch {
        return { tenant };
      }
    }),
  );
}

export class CosellMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'cosell_runs_total', help: 'Sync runs by tenant, kind (poll, targeted) and outcome', labelNames: ['tenant', 'kind', 'outcome'], registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'cosell_run_duration_seconds', help: 'Sync run duration', labelNames: ['tenant', 'kind'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900], registers: [this.registry] });
  private readonly read = new Counter({ name: 'cosell_records_read_total', help: 'Records read, by tenant and side', labelNames: ['tenant', 'side'], registers: [this.registry] });
  private readonly written = new Counter({ name: 'cosell_records_written_total', help: 'Records written, by tenant and side', labelNames: ['tenant', 'side'], registers: [this.registry] });
  private readonly webhooks = new Counter({ name: 'cosell_webhook_events_total', help: 'Partner Center webhook deliveries: received, verified, refused (with the reason), duplicate (an event already taken, delivered again and acknowledged)', labelNames: ['tenant', 'result', 'reason'], registers: [this.registry] });
  private readonly lag = new Histogram({
    name: 'cosell_inbound_lag_seconds',
    help: "Seconds from Partner Center's updatedDateTime of a referral to its write in the CRM",
    labelNames: ['tenant'],
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 14_400],
    registers: [this.registry],
  });
  private readonly calls = new Counter({ name: 'cosell_api_calls_total', help: 'API requests, by tenant and service', labelNames: ['tenant', 'service'], registers: [this.registry] });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cosell_process_' });
    // One reading of every tenant's state per scrape, shared by the gauges below (prom-client collects
    // them concurrently), so the three agree with each other and each store is asked once per figure.
    let reading: Promise<StateReading[]> | undefined;
    const readStates = () => (reading ??= readTenantStates(sources).finally(() => setImmediate(() => (reading = undefined))));
    const stateGauge = (name: string, help: string, pick: (r: StateReading) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['tenant'],
        registers: [this.registry],
        async collect() {
          const states = await readStates();
          // Set afresh at every scrape: a tenant removed since drops out.
          this.reset();
          for (const state of states) {
            const value = pick(state);
            if (value !== undefined) this.set({ tenant: state.tenant }, value);
          }
        },
      });
    stateGauge('cosell_parked_records', 'Records parked (waiting for a fix), now', (r) => r.parked);
    stateGauge('cosell_open_conflicts', 'Conflicts waiting for a person, now', (r) => r.openConflicts);
    stateGauge('cosell_tenant_state_readable', "1 when the tenant's state could be read at this scrape; 0 when not (its other state gauges are left out)", (r) => (r.parked === undefined ? 0 : 1));
    // Read when scraped: the adapters keep the figures, the metrics only show them.
    const usageGauge = (name: string, help: string, pick: (u: ApiUsage) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['tenant', 'service'],
        registers: [this.registry],
        collect() {
          for (const u of sources.usage?.() ?? []) {
            const value = pick(u);
            if (value !== undefined) this.set({ tenant: u.tenant, service: u.service }, value);
          }
        },
      });
    usageGauge('cosell_throttle_waits', 'Throttling waits (429/Retry-After) so far, by tenant and service', (u) => u.throttleWaits);
    usageGauge('cosell_api_budget_remaining', "Requests left in the service's current allowance (Salesforce: daily API requests; Dataverse: the 5-minute window), by tenant and service", (u) => u.remaining);
  }

  recordRun(tenant: string, kind: RunKind, figures: RunFigures, seconds: number, crmService: string): void {
    this.runs.inc({ tenant, kind, outcome: figures.outcome });
    this.duration.observe({ tenant, kind }, seconds);
    const c = (key: string) => figures.counts[key] ?? 0;
    this.read.inc({ tenant, side: 'partner-center' }, c('pcRead'));
    this.read.inc({ tenant, side: 'crm' }, c('crmRead'));
    this.written.inc({ tenant, side: 'partner-center' }, c('pcCreated') + c('pcUpdated'));
    this.written.inc({ tenant, side: 'crm' }, crmWritesOf(figures.counts));
    this.calls.inc({ tenant, service: 'partner-center' }, figures.partnerCenterCalls);
    this.calls.inc({ tenant, service: crmService }, c('crmReadCalls') + c('crmWriteCalls'));
  }

  webhook(tenant: string, result: WebhookResult, reason = ''): void {
    this.webhooks.inc({ tenant, result, reason });
  }

  observeLag(tenant: string, seconds: number): void {
    this.lag.observe({ tenant }, Math.max(0, seconds));
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** A single install's metrics: one tenant (`default`), its own store, its adapters' usage. */
export class ServeMetrics {
  readonly metrics: CosellMetrics;

  constructor(
    store: GaugeReads,
    usage: () => ApiUsage[] = () => [],
    private readonly tenant = SINGLE_INSTALL_TENANT,
  ) {
    this.metrics = new CosellMetrics({ gauges: () => [{ tenant, store }], usage: () => usage().map((u) => ({ ...u, tenant })) });
  }

  get registry(): Registry {
    return this.metrics.registry;
  }

  recordRun(kind: RunKind, figures: RunFigures, seconds: number, crmService: string): void {
    this.metrics.recordRun(this.tenant, kind, figures, seconds, crmService);
  }

  webhook(result: WebhookResult, reason = ''): void {
    this.metrics.webhook(this.tenant, result, reason);
  }

  observeLag(seconds: number): void {
    this.metrics.observeLag(this.tenant, seconds);
  }

  text(): Promise<{ contentType: string; body: string }> {
    return this.metrics.text();
  }
}
