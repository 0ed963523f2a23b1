/**
 * `cosell sync --once [--dry-run] [--json]`: one run under the single-runner lock. SIGTERM or Ctrl-C
 * stops it after the current page (committed, lock released, exit 4: the next run continues), or without
 * it once `sync.stopGraceSeconds` have passed; a second signal ends it at once.
 */
import type { Command } from 'commander';
import { EXIT } from '../exit-codes.js';
import { command, terminalJson } from '../output.js';
import { describeLocked, describeRun } from '../run-report.js';
import { onStopSignals } from '../stop-signals.js';
import { runnerStopHandlers } from '../runner-stop.js';
import { runnerOwner } from '../runner-lock.js';
import { printDryRunPlan } from './dry-run-plan.js';
import { loadSyncParts } from './lazy-parts.js';

export function registerSyncCommands(program: Command): void {
  const configFile = () => program.opts<{ config: string }>().config;

  program
    .command('sync')
    .description('run one sync between the CRM and Partner Center')
    .option('--once', 'run once and exit (the default for this command)')
    .option('--dry-run', 'show what would change, record by record, write nothing')
    .option('--json', 'print the run report (with --dry-run: the planned writes) as JSON')
    .action(
      command(async (opts: { dryRun?: boolean; json?: boolean }) => {
        const { openRuntime, lockedRun, exitCodeOfRun, syncProgressDisplay } = await loadSyncParts();
        const runtime = await openRuntime({ configFile: configFile() });
        const owner = runnerOwner('sync');
        const stop = new AbortController();
        const progress = opts.json ? undefined : syncProgressDisplay();
        // Past the grace period the run ends as a stopped one does: exit 4, the next run continues.
        const stopSignals = onStopSignals(runnerStopHandlers(() => runtime, owner, (signal) => stop.abort(signal), EXIT.partial));
        try {
          const result = await lockedRun(runtime, owner, {
            dryRun: opts.dryRun === true,
            stop: stop.signal,
            ...(progress ? { onProgress: progress.update } : {}),
          });
          progress?.stop();
          if ('lockedBy' in result) {
            console.error(`cosell: ${describeLocked(result.lockedBy)}`);
            return EXIT.locked;
          }
          if (opts.dryRun) printDryRunPlan(result.report, opts.json === true, runtime.crm.fieldLabels);
          else console.log(opts.json ? terminalJson(result.report) : describeRun(result.report));
          return exitCodeOfRun(result.report);
        } finally {
          progress?.stop();
          stopSignals();
          runtime.close();
        }
      }),
    );
}
