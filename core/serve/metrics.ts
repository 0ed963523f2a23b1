/**
 * The service's Prometheus metrics (prom-client, text format at `GET /metrics`). One registry per
 * service, so tests and a second service in one process do not share counters. Names follow
 * Prometheus's conventions: `_total` counters, `_seconds` durations.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StateStore } from '../store/index.js';
import { crmWritesOf } from '../run-counts.js';

export type RunKind = 'poll' | 'targeted';
export type WebhookResult = 'received' | 'verified' | 'refused';

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

export class ServeMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'cosell_runs_total', help: 'Sync runs by kind (poll, targeted) and outcome', labelNames: ['kind', 'outcome'], registers: [this.registry] });
  private readonly duration = new Histogram({ name: 'cosell_run_duration_seconds', help: 'Sync run duration', labelNames: ['kind'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900], registers: [this.registry] });
  private readonly read = new Counter({ name: 'cosell_records_read_total', help: 'Records read, by side', labelNames: ['side'], registers: [this.registry] });
  private readonly written = new Counter({ name: 'cosell_records_written_total', help: 'Records written, by side', labelNames: ['side'], registers: [this.registry] });
  private readonly webhooks = new Counter({ name: 'cosell_webhook_events_total', help: 'Partner Center webhook deliveries: received, verified, refused (with the reason)', labelNames: ['result', 'reason'], registers: [this.registry] });
  private readonly lag = new Histogram({
    name: 'cosell_inbound_lag_seconds',
    help: "Seconds from Partner Center's updatedDateTime of a referral to its write in the CRM",
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 14_400],
    registers: [this.registry],
  });
  private readonly calls = new Counter({ name: 'cosell_api_calls_total', help: 'API requests, by service', labelNames: ['service'], registers: [this.registry] });

  constructor(store: StateStore, usage: () => ApiUsage[] = () => []) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cosell_process_' });
    new Gauge({ name: 'cosell_parked_records', help: 'Records parked (waiting for a fix), now', registers: [this.registry], collect() { this.set(store.countParked()); } });
    new Gauge({ name: 'cosell_open_conflicts', help: 'Conflicts waiting for a person, now', registers: [this.registry], collect() { this.set(store.listConflicts().length); } });
    // Read when scraped: the adapters keep the figures, the metrics only show them.
    new Gauge({
      name: 'cosell_throttle_waits',
      help: 'Throttling waits (429/Retry-After) so far, by service',
      labelNames: ['service'],
      registers: [this.registry],
      collect() {
        for (const u of usage()) if (u.throttleWaits !== undefined) this.set({ service: u.service }, u.throttleWaits);
      },
    });
    new Gauge({
      name: 'cosell_api_budget_remaining',
      help: "Requests left in the service's current allowance (Salesforce: daily API requests; Dataverse: the 5-minute window), by service",
      labelNames: ['service'],
      registers: [this.registry],
      collect() {
        for (const u of usage()) if (u.remaining !== undefined) this.set({ service: u.service }, u.remaining);
      },
    });
  }

  recordRun(kind: RunKind, figures: RunFigures, seconds: number, crmService: string): void {
    this.runs.inc({ kind, outcome: figures.outcome });
    this.duration.observe({ kind }, seconds);
    const c = (key: string) => figures.counts[key] ?? 0;
    this.read.inc({ side: 'partner-center' }, c('pcRead'));
    this.read.inc({ side: 'crm' }, c('crmRead'));
    this.written.inc({ side: 'partner-center' }, c('pcCreated') + c('pcUpdated'));
    this.written.inc({ side: 'crm' }, crmWritesOf(figures.counts));
    this.calls.inc({ service: 'partner-center' }, figures.partnerCenterCalls);
    this.calls.inc({ service: crmService }, c('crmReadCalls') + c('crmWriteCalls'));
  }

  webhook(result: WebhookResult, reason = ''): void {
    this.webhooks.inc({ result, reason });
  }

  observeLag(seconds: number): void {
    this.lag.observe(Math.max(0, seconds));
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
