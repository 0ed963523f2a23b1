/**
 * How fresh the sync is, for `cosell status`. The runs table gave timestamps only: an admin checking on an
 * unattended install a week later had to work out from them that nothing had run for days (the process had
 * ended, the machine rebooted without its service) or that every run since Monday had failed. Nothing inside
 * a stopped timer can report that it stopped, so status says it: the newest run's age, the newest successful
 * run, and, when the newest run is older than a few of the configured intervals, that the timer is not
 * running. Pure.
 */
import type { RunRecord } from '../store/state-store.js';

/** Where `cosell run` records the interval it runs at: its `--interval` may differ from the config's. */
export const RUN_INTERVAL_META = 'run.intervalMinutes';

/** The interval runs are due at, and where it comes from (for the message). */
export interface DueInterval {
  minutes: number;
  source: string;
}

/** The last `cosell run`'s interval when it recorded one other than the config's, else the config's. Pure. */
export function dueInterval(recorded: unknown, configured: number): DueInterval {
  return typeof recorded === 'number' && recorded > 0 && recorded !== configured
    ? { minutes: recorded, source: 'the --interval of the last cosell run' }
    : { minutes: configured, source: 'sync.intervalMinutes' };
}

/** Runs missed before status calls the timer silent: a slow run or a long wait for the lock is not a stop. */
const MISSED_INTERVALS = 3;

export interface SyncFreshness {
  /** The newest run's start; undefined before the first run. */
  newestStartedAt?: string;
  /** The newest run that ended ok among those read; undefined when none did. */
  lastSuccessful?: { id: number; startedAt: string };
  /** Minutes since the newest run started, when that is more than a few intervals of `sync.intervalMinutes`. */
  silentMinutes?: number;
}

/**
 * `runs` newest first (as `listRuns` gives them); `running`: the lock's holder is alive, so a process that
 * syncs is there: a run in progress, or `cosell serve`, which holds the lock between its polls (every
 * `serve > pollIntervalMinutes`, not `sync.intervalMinutes`).
 */
export function syncFreshness(runs: readonly RunRecord[], now: Date, intervalMinutes: number | undefined, running: boolean): SyncFreshness {
  const newest = runs[0];
  if (!newest) return {};
  const ok = runs.find((run) => run.outcome === 'ok');
  const sinceNewest = (now.getTime() - Date.parse(newest.startedAt)) / 60_000;
  // A live lock holder is no silence (a run still going, however long it has taken; cosell serve between
  // polls); an unfinished run whose process ended is.
  const silent = intervalMinutes !== undefined && !running && sinceNewest > MISSED_INTERVALS * intervalMinutes + 1;
  return {
    newestStartedAt: newest.startedAt,
    ...(ok ? { lastSuccessful: { id: ok.id, startedAt: ok.startedAt } } : {}),
    ...(silent ? { silentMinutes: Math.floor(sinceNewest) } : {}),
  };
}

/** "2 d 3 h", "3 h 12 min", "12 min", "under a minute". */
export function ageText(minutes: number): string {
  const whole = Math.floor(minutes);
  if (whole < 1) return 'under a minute';
  const days = Math.floor(whole / 1440);
  const hours = Math.floor((whole % 1440) / 60);
  const mins = whole % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** The lines `cosell status` prints about it; `runsRead` is how many runs were looked at. */
export function renderFreshness(freshness: SyncFreshness, now: Date, runsRead: number, interval: DueInterval | undefined): string[] {
  if (!freshness.newestStartedAt) return ['\nNo sync has run yet.'];
  const ago = (at: string) => `${ageText((now.getTime() - Date.parse(at)) / 60_000)} ago`;
  const lines = [`\nNewest run started ${ago(freshness.newestStartedAt)}; ${freshness.lastSuccessful ? `last successful run: ${freshness.lastSuccessful.id}, started ${ago(freshness.lastSuccessful.startedAt)}` : `none of the last ${runsRead} runs succeeded`}.`];
  if (freshness.silentMinutes !== undefined && interval !== undefined) {
    lines.push(
      `No run has started for ${ageText(freshness.silentMinutes)}, though runs are due every ${interval.minutes} minute(s) (${interval.source}): if \`cosell run\` should be running, it is not (check its service, e.g. systemctl status cosell).`,
    );
  }
  return lines;
}
