/**
 * `cosell run [--interval MINUTES]`: the background sync. It runs, waits, runs again, until SIGTERM or
 * Ctrl-C; then it lets the run in progress finish its current page, releases the lock and exits 0.
 *
 * - A turn that finds the lock held (a `sync --once` by hand, another runner) waits for the next turn.
 * - A failed run is reported and the timer goes on: the next turn resumes from the last committed page.
 *   A problem that lasts (a refused sign-in, a service down) is told in full once, then in one short line
 *   per turn, and its end is said (turn-problems.ts).
 *   Only what a person must fix first (the config, an unusable state database) ends the loop.
 * - An edited config is used from the next turn on (config-reload.ts); one that does not load is reported
 *   and the turn keeps the settings it had.
 * - Each wait is stretched by a little random jitter, so that many installs started together do not
 *   all call Partner Center in the same second.
 */
import type { Command } from 'commander';
import { ConfigError, failureText } from '../../errors.js';
import { clearsByItself } from '../../store/store-problems.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { command, exitCodeFor, reportError } from '../output.js';
import { openWhenStoreHasRoom, sleepUnlessStopped } from '../store-room-wait.js';
import { describeLocked, describeRun } from '../run-report.js';
import { runnerOwner } from '../runner-lock.js';
import { reopenLogOnHangUp } from '../log-hang-up.js';
import { onStopSignals } from '../stop-signals.js';
import { startupStop, type StartupStop } from '../held-stop.js';
import { runnerStopHandlers } from '../runner-stop.js';
import { configEditLine, configRefusedLine, ConfigFileWatch, takeConfigEdit } from '../config-reload.js';
import { loadSyncParts } from './lazy-parts.js';
import { RUN_INTERVAL_META } from '../sync-freshness.js';
import { clearedLine, sameProblemLine, turnOfReport, turnProblem, type ShownProblem } from '../turn-problems.js';

const MAX_INTERVAL_MINUTES = 24 * 60;
/**
 * The interval this process runs at, for `cosell status` to tell a stopped timer by (its --interval may
 * differ from the config's). A store that cannot take it now (a full disk) is no reason to stop the timer.
 */
function recordInterval(store: { putMeta(key: string, value: unknown, at: string): void }, minutes: number): boolean {
  try {
    store.putMeta(RUN_INTERVAL_META, minutes, new Date().toISOString());
    return true;
  } catch {
    // The next turn records it again; status meanwhile judges by the config's interval.
    return false;
  }
}

/** Jitter: up to 10% of the interval, and never more than 30 s. */
const JITTER_SHARE = 0.1;
const MAX_JITTER_MS = 30_000;

/** `--interval`: minutes, decimals allowed, more than 0 and at most a day. Anything else is a usage error. */
export function parseIntervalMinutes(text: string): number {
  const minutes = /^\s*\d+(\.\d+)?\s*$|^\s*\.\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_INTERVAL_MINUTES) {
    throw new ConfigError('--interval', `"${text}" is not a number of minutes between runs (more than 0, at most ${MAX_INTERVAL_MINUTES}; decimals allowed, such as 0.5)`);
  }
  return minutes;
}

/** The wait before the next run: the interval plus a random share of it (`random` in [0, 1)). */
export function nextWaitMs(intervalMs: number, random: number): number {
  return Math.round(intervalMs + Math.min(intervalMs * JITTER_SHARE, MAX_JITTER_MS) * random);
}

/**
 * Whether a turn that ended with `code` ends `cosell run`: what only a person can fix (the config, an
 * unusable state store) does; anything else is tried again next turn, and so is a full disk, which clears
 * once someone frees space (`errorCode`: the store error's code).
 */
export function endsTheLoop(code: ExitCode, errorCode: string | undefined): boolean {
  if (code === EXIT.config) return true;
  return code === EXIT.stateStore && !clearsByItself(errorCode);
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('sync on a timer until stopped (SIGTERM or Ctrl-C stops cleanly)')
    .option('--interval <minutes>', 'minutes between runs, decimals allowed (default from the config, 5)')
    .action(
      command(async (opts: { interval?: string }) => {
        // Listening from the first line, before anything is awaited: a stop while the parts load, the config
        // is read or the store opens (no run, no lock yet) ends the command with 0 (held-stop.ts).
        const startup = startupStop();
        try {
          return await runOnTimer(opts.interval, program.opts<{ config: string }>().config, startup);
        } finally {
          startup.end();
        }
      }),
    );
}

/** The timer loop of `cosell run`; `startup` listens for a stop until the run's own handlers take over. */
async function runOnTimer(interval: string | undefined, configFile: string, startup: StartupStop): Promise<ExitCode> {
  const intervalFromFlag = interval === undefined ? undefined : parseIntervalMinutes(interval);
  const { openRuntime, lockedRun, exitCodeOfRun, syncProgressDisplay } = await loadSyncParts();
  const configWatch = new ConfigFileWatch(configFile);
  // Before the config is read its interval is unknown: a start on a full disk tries again every minute.
  const opened = startup.signal.aborted ? undefined : await openWhenStoreHasRoom(() => openRuntime({ configFile }), (intervalFromFlag ?? 1) * 60_000, startup.signal);
  if (!opened || startup.signal.aborted) {
    opened?.close();
    console.log(`${startup.asked() ?? 'A stop'}: stopped before the first run.`);
    return EXIT.ok;
  }
  let runtime = opened;
  /** Opens the runtime again on an edited config, before a turn; keeps the current one when it does not load. */
  const followConfigEdits = async () => {
    const edit = await takeConfigEdit(configWatch, runtime, () => openRuntime({ configFile }));
    if (edit.kind === 'loaded') {
      runtime.close();
      runtime = edit.next;
      console.log(configEditLine(configFile, edit.keys, 'this run'));
    } else if (edit.kind === 'refused') {
      console.error(configRefusedLine(configFile, 'this run', 'run'));
      reportError(edit.error);
    }
  };
  const minutes = () => intervalFromFlag ?? runtime.config.sync.intervalMinutes;
  const owner = runnerOwner('run');
  const stop = new AbortController();
  const stopped = (signal: NodeJS.Signals) => {
    console.log(`${signal}: stopping after the current page (at most ${runtime.config.sync.stopGraceSeconds} s).`);
    stop.abort(signal);
  };
  // A stop on request ends with 0 (below), also when the grace period left the page for the next run.
  const stopSignals = onStopSignals(runnerStopHandlers(() => runtime, owner, stopped, EXIT.ok));
  // Handed over with no await between: a signal from here on reaches the run's own handlers.
  startup.end();
  const hangUp = reopenLogOnHangUp(() => runtime.logger);
  console.log(`Syncing every ${minutes()} minute(s). Stop with Ctrl-C or SIGTERM.`);
  let last: ExitCode = EXIT.ok;
  /** The problem told in full; told once, not at every turn while it lasts (turn-problems.ts). */
  let shown: ShownProblem | undefined;
  /** The interval last recorded for `cosell status`. */
  let recorded: number | undefined;
  try {
    while (!stop.signal.aborted) {
      await followConfigEdits();
      const progress = syncProgressDisplay();
      try {
        const result = await lockedRun(runtime, owner, { stop: stop.signal, onProgress: progress.update });
        progress.stop();
        if ('lockedBy' in result) {
          console.log(`Skipped this turn: ${describeLocked(result.lockedBy)}`);
        } else {
          const turn = turnProblem(shown, turnOfReport(result.report));
          if (turn.say === 'cleared') console.log(clearedLine(turn.gone));
          console.log(turn.say === 'same' ? sameProblemLine(result.report.startedAt, turn.shown) : describeRun(result.report));
          shown = turn.say === 'new' || turn.say === 'same' ? turn.shown : undefined;
          last = exitCodeOfRun(result.report);
          // exitCodeOfRun already says whether the store is unusable; only that ends the loop from here.
          if (last === EXIT.stateStore && endsTheLoop(last, result.report.errorCode)) return last;
        }
      } catch (error) {
        progress.stop();
        // A store that stays full is told once too, as a failed run's problem is.
        const turn = turnProblem(shown, { failed: true, message: failureText(error), startedAt: new Date().toISOString() });
        if (turn.say === 'same') {
          console.error(sameProblemLine(new Date().toISOString(), turn.shown));
          last = exitCodeFor(error);
        } else {
          last = reportError(error);
        }
        shown = turn.say === 'cleared' || turn.say === 'none' ? undefined : turn.shown;
        if (endsTheLoop(last, (error as { code?: string }).code)) return last;
      }
      if (stop.signal.aborted) break;
      // Written when it changes (the first turn, a config edit), not at every turn.
      if (minutes() !== recorded && recordInterval(runtime.store, minutes())) recorded = minutes();
      const waitMs = nextWaitMs(minutes() * 60_000, Math.random());
      console.log(`Next run at ${clock(Date.now() + waitMs)} UTC.`);
      await sleepUnlessStopped(waitMs, stop.signal);
    }
  } finally {
    stopSignals();
    hangUp();
    runtime.close();
  }
  console.log('Stopped.');
  // A stop on request is a clean end; a sign-in that needs a person is worth an exit code.
  return last === EXIT.auth ? EXIT.auth : EXIT.ok;
}
