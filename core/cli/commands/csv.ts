/**
 * `cosell export` and `cosell import FILE [--to-crm]`: Partner Center's bulk CSV format through the
 * referrals API (or into the CRM). A progress bar shows on a terminal; the results file has every row
 * with its errors and new IDs, so an admin fixes and re-uploads only what failed.
 */
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { ImportProgress, ReferralFilter } from '../../csv/index.js';
import { Direction, ReferralStatus } from '../../model/enums.js';
import { ConfigError, terminalSafe } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { oneOf } from '../option-values.js';
import { command } from '../output.js';
import type { ProgressDisplay } from '../progress.js';
import { checkInputFile, checkOutputFile, checkResultsFile, openReplacingFile, type ReplacingFile } from './csv-files.js';
import { openRuntime } from './lazy-parts.js';
import { onStopSignals, signalExitCode } from '../stop-signals.js';

/** The CSV reader and writer and the Partner Center gateway, loaded when `export` or `import` runs. */
const loadCsv = () => import('../../csv/index.js');
const loadRowLines = () => import('./import-rows.js');

async function progressBar(label: string): Promise<ProgressDisplay<ImportProgress>> {
  const { progressDisplay } = await import('../progress.js');
  return progressDisplay<ImportProgress>({
    format: `${label} {phase} [{bar}] {value}/{total}`,
    render: (p) => ({ value: p.done, total: p.total, payload: { phase: p.phase } }),
  });
}

/** The export options as commander hands them over: `--direction` and `--status` already checked by `oneOf`. */
export interface ExportFilterOptions {
  direction?: Direction;
  favorites?: boolean;
  status?: ReferralStatus;
  since?: string;
}

export function filterFrom(opts: ExportFilterOptions): ReferralFilter {
  const filter: ReferralFilter = {};
  if (opts.direction) filter.direction = opts.direction;
  if (opts.favorites) filter.favorites = true;
  if (opts.status) filter.status = opts.status;
  if (opts.since) filter.since = sinceInstant(opts.since);
  return filter;
}

/** `2026-01-31` (UTC midnight) or an ISO date-time with its zone (`2026-01-31T09:00:00Z`, `…+01:00`). */
const ISO_SINCE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Only ISO forms: Date.parse also takes `05/12/2026` (read as May 12, where half the world means
 * 5 December), `May 12` (2001) and `1` (January 2001), and the export then silently held other referrals
 * than the admin asked for.
 */
function sinceInstant(text: string): string {
  const time = ISO_SINCE.test(text) ? Date.parse(text) : Number.NaN;
  // Date.parse rolls 2026-02-30 over into March: the calendar date must exist as written.
  const day = text.slice(0, 10);
  if (Number.isNaN(time) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) throw new ConfigError('--since', `"${text}" is not a date: write 2026-01-31 (UTC) or an ISO time with its zone, 2026-01-31T09:00:00Z`);
  return new Date(time).toISOString();
}

/** The export's filter and output options, as `cosell export` and `cosell tenants export` take them. */
export function exportOptions(cmd: Command): Command {
  return cmd
    .option('--direction <dir>', 'inbound or outbound', oneOf(Direction.names))
    .option('--favorites', 'only favourites')
    .option('--status <status>', 'New, Active or Closed', oneOf(ReferralStatus.names))
    .option('--since <date>', 'only referrals updated since this date (2026-01-31, UTC) or ISO time (2026-01-31T09:00:00Z)')
    .option('--out <file>', 'write to this file instead of standard output');
}

export function registerCsvCommands(program: Command): void {
  const configFile = () => program.opts<{ config: string }>().config;

  const exportCommand = program
    .command('export')
    .description('export referrals in Partner Center\'s bulk CSV format (at most 5,000)');
  exportOptions(exportCommand)
    .action(
      command(async (opts: ExportFilterOptions & { out?: string }) => {
        const filter = filterFrom(opts);
        if (opts.out) checkOutputFile(opts.out, '--out');
        const { exportReferrals, partnerCenterGateway } = await loadCsv();
        const runtime = await openRuntime({ configFile: configFile(), memoryStore: true });
        let stopSignals: (() => void) | undefined;
        try {
          // An export sends nothing, so Ctrl-C or SIGTERM ends it at once; the file it was writing beside --out
          // (customer names, deal values) goes with it, as a failed export's does. The listener is in place
          // before the file is opened: the file exists on disk before its open is reported, and a signal in
          // between (no listener yet) killed the process with the half-written file left behind (seen in CI
          // on a loaded machine, import-export-failed-keeps-files).
          let out: ReplacingFile | undefined = undefined; // assigned once opened; the listener reads it before
          let stoppedBy: NodeJS.Signals | undefined;
          const endStopped = (signal: NodeJS.Signals) => {
            out?.discard();
            runtime.close();
            process.exit(signalExitCode(signal));
          };
          if (opts.out) stopSignals = onStopSignals({ graceful: (signal) => {
            stoppedBy = signal;
            if (out) endStopped(signal);
          } });
          out = opts.out ? await openReplacingFile(opts.out, '--out') : undefined;
          if (stoppedBy) endStopped(stoppedBy);
          const output: Writable = out?.stream ?? process.stdout;
          const bar = await progressBar('export');
          const result = await exportReferrals({ output, filter, end: Boolean(opts.out), onProgress: bar.update }, { gateway: partnerCenterGateway(runtime.partnerCenterClient), logger: runtime.logger }).catch((error: unknown) => {
            // Half an export looks like a whole one to whoever opens it: a failed export writes no file (and leaves one already there).
            out?.discard();
            throw error;
          });
          await out?.commit();
          bar.stop();
          console.error(`Exported ${result.written} referral(s)${result.truncated ? ' (stopped at the 5,000 limit: narrow the filter)' : ''}.`);
          for (const warning of result.warnings) console.error(terminalSafe(`warning: ${warning}`));
        } finally {
          stopSignals?.();
          runtime.close();
        }
      }),
    );

  program
    .command('import')
    .description('create or update referrals (at most 1,000) from a Partner Center bulk CSV file')
    .argument('<file>', 'the CSV file')
    .option('--results <file>', 'where to write the results file (by default next to the CSV file: deals.csv gives deals.results.csv, or deals.dry-run.results.csv with --dry-run)')
    .option('--location <id>', 'the MPN location for new deals (the CSV has no Location column)')
    .option('--dry-run', 'check every row, send nothing')
    .option('--to-crm', 'create the rows as CRM opportunities instead (from a Partner Center export)')
    .option('--direction <dir>', 'with --to-crm: the Partner Center tab the file was exported from, inbound or outbound (a row of the other tab is refused; without it, each referral\'s own)', oneOf(Direction.names))
    .action(
      command(async (file: string, opts: { results?: string; location?: string; dryRun?: boolean; toCrm?: boolean; direction?: Direction }) => {
        // Creating CRM records has no check-only mode: refuse rather than write for real.
        if (opts.toCrm && opts.dryRun) throw new ConfigError('--dry-run', 'is not available with --to-crm (it would create the CRM records); run without --to-crm to check the rows against Partner Center\'s rules');
        checkInputFile(file);
        // A dry run's results go beside, not over, a real import's: those carry the IDs of the deals it created.
        const resultsFile = opts.results ?? file.replace(/(\.csv)?$/i, opts.dryRun ? '.dry-run.results.csv' : '.results.csv');
        checkResultsFile(resultsFile, file, opts.results === undefined ? ' (choose where with --results)' : '');
        const { importReferrals, importToCrm, importKeysIn, crmCreateIntentsIn, partnerCenterGateway } = await loadCsv();
        const { rowProblemLines } = await loadRowLines();
        const bar = await progressBar(opts.toCrm ? 'to CRM' : 'import');
        const runtime = await openRuntime({ configFile: configFile() });
        let resultsOutput: ReplacingFile | undefined;
        // The results file replaces the one of an earlier run only once this one got to the end.
        let ranToTheEnd = false;
        let stopSignals: (() => void) | undefined;
        try {
          // Ctrl-C or SIGTERM stops after the write in flight, so the summary and the results file still say what was done.
          // Listening before the results file is opened: a signal between its creation and a later listener
          // killed the process and left the half-written file beside it (as the export's did).
          const stop = new AbortController();
          const stopped = 'Stopped before the end of the file: the rows not sent say so in the results file. Upload the same file again to send them; what was already created is found, not created twice.';
          stopSignals = onStopSignals({ graceful: () => stop.abort(), onForce: () => {
            resultsOutput?.discard();
            runtime.close();
          } });
          resultsOutput = await openReplacingFile(resultsFile, '--results');
          const results = resultsOutput.stream;
          if (opts.toCrm) {
            const toCrmOptions = { ...(opts.direction ? { direction: opts.direction } : {}), onProgress: bar.update, results, signal: stop.signal };
            const result = await importToCrm(file, toCrmOptions, { crm: runtime.crm, partnerCenter: partnerCenterGateway(runtime.partnerCenterClient), intents: crmCreateIntentsIn(runtime.store), logger: runtime.logger });
            bar.stop();
            if (stop.signal.aborted) console.error(stopped);
            for (const error of result.fileErrors) console.error(terminalSafe(`error: ${error}`));
            for (const warning of result.fileWarnings) console.error(terminalSafe(`warning: ${warning}`));
            for (const line of rowProblemLines(result.rows)) console.error(terminalSafe(line));
            console.log(`Created ${result.summary.created}, unchanged ${result.summary.unchanged}, empty ${result.summary.empty}, not processed ${result.summary.notProcessed}. Results: ${resultsFile}`);
            ranToTheEnd = true;
            return result.summary.notProcessed > 0 || result.fileErrors.length > 0 ? EXIT.failed : EXIT.ok;
          }
          const location = opts.location ?? runtime.config.sync.defaultLocation;
          const result = await importReferrals(file, { ...(location ? { location } : {}), onProgress: bar.update, results, dryRun: opts.dryRun === true, signal: stop.signal }, { gateway: partnerCenterGateway(runtime.partnerCenterClient), keys: importKeysIn(runtime.store), logger: runtime.logger });
          bar.stop();
          if (stop.signal.aborted) console.error(stopped);
          for (const error of result.fileErrors) console.error(terminalSafe(`error: ${error}`));
          for (const warning of result.fileWarnings) console.error(terminalSafe(`warning: ${warning}`));
          const s = result.summary;
          if (opts.dryRun) console.log(`${terminalSafe((await import('./import-dry-run.js')).importDryRunText(result))}\nResults (as a real import would write them): ${resultsFile}`);
          else {
            for (const line of rowProblemLines(result.rows)) console.error(terminalSafe(line));
            console.log(`Created ${s.created}, updated ${s.updated}, unchanged ${s.unchanged}, empty ${s.empty}, not processed ${s.notProcessed}. Results: ${resultsFile}`);
          }
          ranToTheEnd = true;
          return s.notProcessed > 0 || result.fileErrors.length > 0 ? EXIT.failed : EXIT.ok;
        } finally {
          stopSignals?.();
          bar.stop();
          if (ranToTheEnd) await resultsOutput?.commit();
          else resultsOutput?.discard();
          runtime.close();
        }
      }),
    );
}
