/**
 * The work of `cosell serve`, one thing at a time: targeted syncs of referrals webhooks named, and the
 * backstop poll (a full run, as `cosell run` does) on a timer and whenever an event cannot name our
 * referral. The service owns the single-runner lock for its whole life (a `cosell sync` or `cosell run`
 * started alongside finds it held), so nothing else writes while it runs, and it never runs two syncs at
 * once itself: targeted syncs and polls take turns, so the change feed's watermark and the links a
 * targeted sync writes never race.
 *
 * Events are coalesced: work starts a moment after the first event of a burst, and one targeted sync
 * takes every referral waiting by then.
 */
import { engineOptionsFor, type Runtime } from '../cli/runtime.js';
import { keepLockAlive, takeRunnerLock } from '../cli/runner-lock.js';
import { asyncStateStore } from '../store/async-over-sync.js';
import { runSyncOnce, type RunOutcome } from '../engine/sync-engine.js';
import { runTargetedSync } from '../engine/targeted-sync.js';
import { notifyAfterRun } from '../notify/after-run.js';
import type { LockHolder } from '../store/index.js';
import type { ServeSettings } from '../../config/serve.js';
import { CONFIG_CHECK_MS } from './config-follow.js';
import { EventQueue, retryDelayMs } from './event-queue.js';
import { nextWork } from './next-work.js';
import { ServeMetrics, type ApiUsage } from './metrics.js';

/** How long to wait after an event for others of the same burst. */
export const COALESCE_MS = 150;

export interface RunSummary {
  kind: 'poll' | 'targeted';
  outcome: RunOutcome;
  finishedAt: string;
  counts: Record<string, number>;
  message?: string;
  errorCode?: string;
}

/** How many recent runs the service remembers (for the dashboard and tests). */
const HISTORY = 20;

/** Where an edited config comes from (config-follow.ts): asked between syncs only. */
export interface ConfigEdits {
  edited(): boolean;
  beforeTurn(): Promise<void>;
}

export interface SyncServiceOptions {
  runtime: Runtime;
  settings: ServeSettings;
  owner: string;
}

const INTERRUPTED = 'Interrupted: the process running it ended before it finished. The next run resumed from the last committed page.';

export class SyncService {
  readonly queue: EventQueue;
  readonly metrics: ServeMetrics;
  readonly startedAt = new Date();
  last?: RunSummary;
  /** The latest runs, newest last. */
  readonly history: RunSummary[] = [];
  lastSuccessfulPollAt?: Date;
  private pollWanted = false;
  /** After a failed targeted sync: when to try the waiting referrals again (next-work.ts). */
  private targetedRetryAtMs = 0;
  /** Targeted syncs in a row that failed as a whole: the wait before the next grows with them. */
  private wholeFailures = 0;
  /** The last such failure's message, which the log has: the same again is not logged at error level. */
  private toldFailure: string | undefined;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopHeartbeat: (() => void) | undefined;
  private idleWaiters: (() => void)[] = [];
  /** Partner Center's 429 waits over the service's life (its client counts per run). */
  private partnerCenterThrottled = 0;
  /** The runtime and settings in use: replaced between syncs when the config is edited (`use`). */
  private runtime: Runtime;
  private settings: ServeSettings;
  private pollTimer: NodeJS.Timeout | undefined;
  private configEdits: ConfigEdits | undefined;

  constructor(private readonly options: SyncServiceOptions) {
    this.runtime = options.runtime;
    this.settings = options.settings;
    this.queue = new EventQueue(options.runtime.store);
    this.metrics = new ServeMetrics(options.runtime.store, () => this.apiUsage());
  }

  private get crmService(): string {
    return this.runtime.crm.displayName.toLowerCase().replace(/\s+/g, '-');
  }

  /** Follow the config file: before each sync, and every few seconds while idle, take an edit (before `start`). */
  followConfig(edits: ConfigEdits): void {
    this.configEdits = edits;
  }

  /**
   * The runtime and settings of an edited config, from the next sync on (config-follow.ts calls it between
   * syncs). The store is the same one, so the lock, the queue and the run history carry over. A changed
   * poll interval counts from now.
   */
  use(runtime: Runtime, settings: ServeSettings): void {
    const interval = settings.pollIntervalMinutes !== this.settings.pollIntervalMinutes;
    this.runtime = runtime;
    this.settings = settings;
    if (interval && this.pollTimer && !this.stopped) this.startPollTimer();
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** Takes the lock and starts: a poll at once (catching up on anything missed while down), then on the timer. */
  async start(): Promise<{ started: true } | { lockedBy: LockHolder }> {
    const { logger } = this.runtime;
    const store = asyncStateStore(this.runtime.store);
    const taken = await takeRunnerLock(store, this.options.owner, logger);
    if (!taken.taken) return { lockedBy: taken.holder };
    this.stopHeartbeat = keepLockAlive(store, this.options.owner, (reason) => {
      logger.error({ reason }, 'the runner lock was taken over by another process; the service stops');
      void this.stop();
    });
    const failed = await store.failUnfinishedRuns(new Date().toISOString(), INTERRUPTED);
    if (failed > 0) logger.warn({ runs: failed }, `Marked ${failed} run(s) left unfinished by a process that ended as failed.`);
    if (this.queue.size > 0) logger.info({ waiting: this.queue.size }, 'referrals announced before a restart are synced now');
    this.requestPoll();
    this.startPollTimer();
    const edits = this.configEdits;
    // An edit is taken before the next sync anyway; while idle (a long poll interval) this brings it sooner.
    if (edits) {
      this.every(CONFIG_CHECK_MS, () => {
        if (edits.edited()) this.later(0);
      });
    }
    return { started: true };
  }

  /** A webhook named this referral (already stored in the queue by the caller's `queue.add`). */
  referralAnnounced(referralId: string, receivedMs: number): void {
    this.queue.add(referralId, receivedMs);
    this.later(COALESCE_MS);
  }

  requestPoll(): void {
    this.pollWanted = true;
    this.later(COALESCE_MS);
  }

  /** Resolves when no work is waiting or running (tests, the demo). */
  idle(): Promise<void> {
    if (!this.running && this.queue.size === 0 && !this.pollWanted) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work, lets the run in progress finish its current page, and gives the lock back. */
  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return this.running;
    this.stopping.abort('stop');
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.running;
    this.stopHeartbeat?.();
    await asyncStateStore(this.runtime.store).releaseLock(this.options.owner);
    this.settleIdle();
  }

  private startPollTimer(): void {
    if (this.pollTimer) {
      clearInterval(this.pollTimer);
      this.timers.delete(this.pollTimer);
    }
    this.pollTimer = this.every(this.settings.pollIntervalMinutes * 60_000, () => this.requestPoll());
  }

  private every(ms: number, work: () => void): NodeJS.Timeout {
    const timer = setInterval(work, ms);
    this.timers.add(timer);
    return timer;
  }

  private later(ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.kick();
    }, ms);
    this.timers.add(timer);
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = this.work().finally(() => {
      this.running = undefined;
      this.settleIdle();
    });
  }

  private settleIdle(): void {
    if (this.running || (!this.stopped && (this.queue.size > 0 || this.pollWanted))) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      // Between syncs: the one that ran used the settings it started with; the next uses an edit's.
      await this.configEdits?.beforeTurn();
      if (this.stopped) return;
      const now = Date.now();
      const due = this.queue.due(now);
      const next = nextWork({ waiting: due.count, ...(due.nextAtMs !== undefined ? { laterAtMs: due.nextAtMs } : {}), pollWanted: this.pollWanted, nowMs: now, targetedRetryAtMs: this.targetedRetryAtMs });
      if (next.kind === 'targeted') {
        // After a failure as a whole (the CRM down, the sign-in refused): 10 s, doubling to 5 minutes while it
        // lasts (it retried every 10 s for as long as an outage lasted: 8,640 tries a day).
        if (await this.targeted()) this.wholeFailures = 0;
        else this.targetedRetryAtMs = Date.now() + retryDelayMs((this.wholeFailures += 1));
      } else if (next.kind === 'poll') {
        this.pollWanted = false;
        await this.poll();
      } else {
        if (next.kind === 'wait') this.later(next.ms);
        return;
      }
    }
  }

  /** One targeted sync of the referrals due; false when it failed as a whole (every referral waits). */
  private async targeted(): Promise<boolean> {
    const { runtime } = this;
    const batch = this.queue.take(Date.now());
    const started = Date.now();
    runtime.partnerCenterClient.beginRun();
    const startCalls = runtime.partnerCenter.callCount();
    const options = { ...engineOptionsFor(runtime.config), onPartnerCenterChangeWritten: this.lagObserver() };
    const report = await runTargetedSync(runtime.engineDeps(), batch.referralIds, options, { alreadyReported: this.toldFailure });
    const failedAsWhole = report.outcome !== 'ok' && report.failed.length === 0;
    this.toldFailure = failedAsWhole && report.outcome === 'failed' ? report.message : undefined;
    this.metrics.recordRun('targeted', { ...report, partnerCenterCalls: runtime.partnerCenter.callCount() - startCalls }, (Date.now() - started) / 1000, this.crmService);
    this.record('targeted', report);
    // Failed as a whole (nothing names a referral of its own): every referral of the batch waits.
    if (failedAsWhole) return false;
    // Each referral settles on its own: the ones that failed stay, with their reason, for their own retry.
    this.queue.settle(batch.token, Date.now(), new Map(report.failed.map((f) => [f.referralId, f.message])));
    // A webhook brings a new inbound referral within seconds: its sellers hear of it now, not at the next
    // poll. A failed targeted sync has no run record for an admin notice to count; the poll after it does.
    await notifyAfterRun(runtime, report);
    runtime.logger.info({ referrals: batch.referralIds.length, counts: report.counts, notFound: report.notFound, failed: report.failed.map((f) => f.referralId) }, 'targeted sync finished');
    return true;
  }

  private async poll(): Promise<void> {
    const { runtime } = this;
    const started = Date.now();
    runtime.partnerCenterClient.beginRun();
    // Referrals the poll brings (a webhook missed, or one that asked for a poll) are the slowest: counted too.
    const report = await runSyncOnce(runtime.engineDeps(), { ...engineOptionsFor(runtime.config), signal: this.stopping.signal, onPartnerCenterChangeWritten: this.lagObserver() });
    this.metrics.recordRun('poll', report, (Date.now() - started) / 1000, this.crmService);
    this.record('poll', report);
    if (report.outcome === 'ok') {
      this.lastSuccessfulPollAt = new Date();
      this.queue.coveredBy(started);
      // The services answer again: a webhook's referral need not wait out a long outage's pause.
      this.wholeFailures = 0;
      this.targetedRetryAtMs = 0;
    }
    // The service is where `cosell run`'s turns go: each poll tells the same people as each turn would.
    await notifyAfterRun(runtime, report);
  }

  /**
   * The lag metric's ear for a run: each Partner Center change the engine wrote to the CRM (targeted sync
   * or poll), timed from its `updatedDateTime` on the engine's clock.
   */
  private lagObserver(): (updatedAt: string) => void {
    const { now } = this.runtime.engineDeps();
    return (updatedAt) => this.metrics.observeLag((now().getTime() - Date.parse(updatedAt)) / 1000);
  }

  private apiUsage(): ApiUsage[] {
    const crm = this.runtime.crm.apiUsage?.() ?? {};
    return [{ service: 'partner-center', throttleWaits: this.partnerCenterThrottled }, { service: this.crmService, ...crm }];
  }

  private record(kind: RunSummary['kind'], report: { outcome: RunOutcome; counts: Record<string, number>; message?: string; errorCode?: string }): void {
    this.partnerCenterThrottled += this.runtime.partnerCenterClient.callStats().throttled;
    this.last = { kind, outcome: report.outcome, finishedAt: new Date().toISOString(), counts: report.counts, ...(report.message ? { message: report.message } : {}), ...(report.errorCode ? { errorCode: report.errorCode } : {}) };
    this.history.push(this.last);
    if (this.history.length > HISTORY) this.history.shift();
  }
}
