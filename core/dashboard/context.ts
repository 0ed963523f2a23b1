/**
 * What the dashboard needs from its host, and nothing more: the state store, a clock, the readiness data
 * of `cosell serve` (its `/readyz`), the dashboard config and a way to resolve its secret. `cosell serve`
 * builds one from its own context; the tests build one over a sandbox world.
 */
import type { Logger } from '../logger.js';
import type { StateStore } from '../store/state-store.js';
import type { DashboardConfig } from './config.js';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ReadinessView {
  ready: boolean;
  checks: ReadinessCheck[];
}

export interface DashboardContext {
  store: StateStore;
  now(): Date;
  /** The webhook and poll health (`/readyz`); absent when the dashboard runs without `cosell serve`. */
  readiness?(): Promise<ReadinessView> | ReadinessView;
  config: DashboardConfig;
  /** Resolves a secret reference (`env:NAME`, `file:/path`) from the config. */
  resolveSecret(ref: string, where: string): Promise<string>;
  logger: Logger;
  /** The CRM's display name (Salesforce, Dynamics 365), for labels. */
  crmName: string;
}
