/**
 * `cosell serve` follows its config file as `cosell run` does (core/cli/config-reload.ts). It used to
 * read the file once, so an admin who edited the conflict policy, a stage mapping, the poll interval or
 * the notifications saw nothing change, and nothing said why, until a restart.
 *
 * The worker takes an edit between syncs (sync-service.ts asks before each, and every few seconds while
 * idle), never during one: a sync runs on the settings it started with, and the next on the edited ones.
 * The new runtime keeps the state store (the service's lock, the webhook queue, the events taken) and the
 * logger, so an event answered before the edit is synced once after it. What the service fixed when it
 * started (where it listens, which proxies it trusts, the URL it registered, the store, the log, the
 * dashboard's own settings) stays as it was until a restart, and the report names it instead of ignoring it.
 */
import type { CosellConfig } from '../../config/schema.js';
import type { ServeSettings } from '../../config/serve.js';
import { changedKeys, type ConfigFileWatch, takeConfigEdit } from '../cli/config-reload.js';
import type { Runtime } from '../cli/runtime.js';
import type { StateStore } from '../store/index.js';
import { CertificateStore } from './certificates.js';
import type { ServeContext } from './context.js';
import { ReplayGuard } from './replay-guard.js';

/** While idle (or, multi-tenant, always: no sync runs there), how often a service looks at its config file for an edit. */
export const CONFIG_CHECK_MS = 5_000;

/** The command line's overrides of the `serve` section: they win over the file before and after an edit. */
export type ServeFlags = Partial<Pick<ServeSettings, 'port' | 'host' | 'publicUrl' | 'pollIntervalMinutes'>>;

export interface ConfigEditReport {
  /** An edit that loads, used from the next sync on: the keys it changed, and those that need a restart. */
  taken(keys: string[], needRestart: string[]): void;
  /** An edit that does not load: the service goes on with the settings it had. Once per content. */
  refused(error: unknown): void;
}

/** Where a service listens and whom it answers: fixed when it starts, a single install's and a multi-tenant one's alike. Pure. */
export function listenBound(settings: ServeSettings) {
  const { host, port, trustProxy, publicUrl } = settings;
  return { serve: { host, port, trustProxy, publicUrl } };
}

/** What the service fixes when it starts: only a restart applies a change to these. Pure. */
export function restartBound(config: CosellConfig, settings: ServeSettings) {
  return { ...listenBound(settings), store: config.store, logging: config.logging, dashboard: config.dashboard };
}

/** The settings after an edit: the file's under the flags, with what needs a restart as the service started. Pure. */
export function settingsAfterEdit(running: ServeSettings, config: Pick<CosellConfig, 'serve'>, flags: ServeFlags): ServeSettings {
  const { host, port, trustProxy, publicUrl } = running;
  const settings: ServeSettings = { ...config.serve, ...flags, host, port, trustProxy };
  delete settings.publicUrl;
  return publicUrl === undefined ? settings : { ...settings, publicUrl };
}

/**
 * The webhook guards for edited settings, when `serve > webhooks` changed (undefined when it did not): the
 * certificate hosts and the age bound judge the next delivery. The events taken are in `store`: a guard
 * built again reads them all, so a retry of an event taken before the edit stays a duplicate.
 */
export function guardsAfterEdit(running: ServeSettings, edited: ServeSettings, store: StateStore): { certificates: CertificateStore; replay: ReplayGuard } | undefined {
  if (JSON.stringify(edited.webhooks) === JSON.stringify(running.webhooks)) return undefined;
  return { certificates: new CertificateStore(edited.webhooks), replay: new ReplayGuard(store, edited.webhooks.maxEventAgeMinutes * 60_000) };
}

export class ServeConfigFollower {
  private readonly started: ReturnType<typeof restartBound>;

  /**
   * `watch`: taken before the runtime was opened from the file, so an edit made while starting is seen.
   * `open`: the runtime of an edited file, replacing the current one (keeping its store and logger).
   */
  constructor(
    private readonly context: ServeContext,
    private readonly watch: ConfigFileWatch,
    private readonly flags: ServeFlags,
    private readonly open: (replacing: Runtime) => Promise<Runtime>,
    private readonly report: ConfigEditReport,
  ) {
    this.started = restartBound(context.runtime.config, context.settings);
  }

  /** Whether the file differs from the content last taken (a read and a hash: cheap enough to ask often). */
  edited(): boolean {
    return this.watch.changed() !== undefined;
  }

  /** Takes an edit, if any. The worker calls it with no sync running. */
  async beforeTurn(): Promise<void> {
    const { context } = this;
    const edit = await takeConfigEdit(this.watch, context.runtime, () => this.open(context.runtime));
    if (edit.kind === 'unchanged') return;
    if (edit.kind === 'refused') return this.report.refused(edit.error);
    const next = edit.next;
    let needRestart: string[];
    try {
      const settings = settingsAfterEdit(context.settings, next.config, this.flags);
      needRestart = changedKeys(this.started, restartBound(next.config, { ...next.config.serve, ...this.flags }));
      // Built before anything is replaced: a store that cannot be read leaves the service as it was.
      const guards = guardsAfterEdit(context.settings, settings, next.store);
      Object.assign(context, { runtime: next, settings }, guards);
      context.service.use(next, settings);
    } catch (error) {
      return this.report.refused(error);
    }
    this.report.taken(edit.keys, needRestart);
  }
}
