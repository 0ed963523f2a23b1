/**
 * What the dashboard needs from its host, and nothing more: the state store (a single install) or the
 * tenants of a multi-tenant database, a clock, the readiness data of `cosell serve` (its `/readyz`), the
 * dashboard config and a way to resolve its secret. `cosell serve` builds one from its own context; the
 * tests build one over a sandbox world.
 */
import type { Logger } from '../logger.js';
import type { StateStore } from '../store/state-store.js';
import type { TenantDirectory } from '../tenants/tenant-directory.js';
import type { DashboardConfig } from './config.js';

export type { TenantDirectory, TenantEntry } from '../tenants/tenant-directory.js';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ReadinessView {
  ready: boolean;
  /** Where the checks come from, for the health panel (default: the service's `/readyz`). */
  source?: string;
  checks: ReadinessCheck[];
}

export interface DashboardContext {
  /**
   * A single install's store: its panels, and what the actions change. Absent when `tenants` is given:
   * each tenant's panels then come from its own store, read-only (the actions' settle and retry are the
   * synchronous store's today).
   */
  store?: StateStore;
  /** Present when the dashboard runs against a multi-tenant database: the tenant picker's list. */
  tenants?: TenantDirectory;
  now(): Date;
  /**
   * Asks the sync serving this dashboard (`cosell serve`) to run now: a record retried or a conflict settled
   * then reaches the other side within seconds, not at the next poll (15 minutes by default). Absent without
   * `cosell serve`: the action then waits for the next `cosell sync` or `cosell run` turn.
   */
  syncSoon?(): void;
  /** The webhook and poll health (`/readyz`); absent when the dashboard runs without `cosell serve`. */
  readiness?(): Promise<ReadinessView> | ReadinessView;
  config: DashboardConfig;
  /** Resolves a secret reference (`env:NAME`, `file:/path`) from the config. */
  resolveSecret(ref: string, where: string): Promise<string>;
  logger: Logger;
  /** The CRM's display name (Salesforce, Dynamics 365), for labels. */
  crmName: string;
}
