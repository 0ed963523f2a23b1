/**
 * `cosell tenants export <id>` and `cosell tenants import <id> <file>`: a tenant's bulk CSV export and
 * import, run by a worker (core/worker/csv-jobs.ts) with the tenant's sign-in. The command submits the job,
 * waits for it, and writes the file the job produced (the export, or the import's results file) here.
 */
import { readFileSync } from 'node:fs';
import { checkInputFile, checkOutputFile, checkResultsFile, writeCustomerFile } from './csv-files.js';
import type { Command } from 'commander';
import { resolveSecret } from '../../../config/secrets.js';
import { ConfigError } from '../../errors.js';
import type { CsvJobOptions, CsvJobRow } from '../../worker/csv-jobs.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { command } from '../output.js';
import { exportOptions, filterFrom, type ExportFilterOptions } from './csv.js';

interface CsvJobFlags {
  database: string;
  waitMinutes: string;
}

/** Submits the job, waits until a worker finished it, and returns the row. */
async function submitAndWait(flags: CsvJobFlags, tenantId: string, options: CsvJobOptions, input?: Buffer): Promise<CsvJobRow> {
  const [{ openPgDatabase }, { openJobQueue }, jobs, registry] = await Promise.all([
    import('../../store/pg/pg-database.js'), import('../../worker/job-queue.js'), import('../../worker/csv-jobs.js'), import('../../tenants/tenant-registry.js'),
  ]);
  const connectionString = await resolveSecret(flags.database, '--database');
  const db = await openPgDatabase({ connectionString, maxConnections: 2 });
  const queue = await openJobQueue({ connectionString, pool: db.pool });
  try {
    if (!(await registry.getTenant(db.pool, tenantId))) throw registry.unknownTenantError(tenantId);
    const id = await jobs.submitCsvJob(db.pool, tenantId, options, input, new Date());
    await queue.sendCsv(id);
    const started = Date.now();
    const deadline = started + Number(flags.waitMinutes) * 60_000;
    let told = false;
    for (;;) {
      const row = await jobs.readCsvJob(db.pool, id);
      if (row && (row.state === 'done' || row.state === 'failed')) return row;
      if (!told && Date.now() > started + 10_000 && row?.state === 'waiting') {
        console.error(`CSV job ${id} is waiting for a worker ("cosell worker" takes it).`);
        told = true;
      }
      if (Date.now() > deadline) throw new ConfigError('--wait-minutes', `CSV job ${id} did not finish in ${flags.waitMinutes} minute(s); it stays queued, and its outcome is kept in the database`);
      await new Promise((done) => setTimeout(done, 500));
    }
  } finally {
    await queue.stop(5_000);
    await db.close();
  }
}

function failedJob(row: CsvJobRow): ExitCode {
  console.error(`The CSV job failed: ${row.message ?? 'no reason given'}`);
  return EXIT.failed;
}

export function registerTenantCsvCommands(tenants: Command, databaseOption: (cmd: Command) => Command): void {
  const waiting = (cmd: Command) => databaseOption(cmd).option('--wait-minutes <n>', 'how long to wait for a worker to finish the job', '30');

  exportOptions(waiting(tenants.command('export')).argument('<id>', 'the tenant').description("export the tenant's referrals in Partner Center's bulk CSV format (a worker runs it)"))
    .action(
      command(async (id: string, opts: CsvJobFlags & ExportFilterOptions & { out?: string }) => {
        // Checked before the job is queued: a typo in the path must not cost a worker's export first.
        if (opts.out) checkOutputFile(opts.out, '--out');
        const row = await submitAndWait(opts, id, { kind: 'export', filter: filterFrom(opts) });
        if (row.state === 'failed') return failedJob(row);
        if (opts.out) writeCustomerFile(opts.out, row.output ?? '');
        else process.stdout.write(row.output ?? '');
        console.error(`Exported ${String(row.summary?.written ?? 0)} referral(s) of tenant ${id}${row.summary?.truncated ? ' (stopped at the 5,000 limit: narrow the filter)' : ''}.`);
        return EXIT.ok;
      }),
    );

  waiting(tenants.command('import'))
    .argument('<id>', 'the tenant')
    .argument('<file>', 'the CSV file')
    .description("create or update the tenant's referrals from a Partner Center bulk CSV file (a worker runs it)")
    .option('--results <file>', 'where to write the results file')
    .option('--location <id>', 'the MPN location for new deals')
    .option('--dry-run', 'check every row, send nothing')
    .action(
      command(async (id: string, file: string, opts: CsvJobFlags & { results?: string; location?: string; dryRun?: boolean }) => {
        // Both files are checked before the job is queued: an import already sent whose results cannot be written is lost to the admin.
        checkInputFile(file);
        const resultsFile = opts.results ?? file.replace(/(\.csv)?$/i, '.results.csv');
        checkResultsFile(resultsFile, file, '');
        const input = readFileSync(file);
        const row = await submitAndWait(opts, id, { kind: 'import', dryRun: opts.dryRun === true, ...(opts.location ? { location: opts.location } : {}) }, input);
        if (row.state === 'failed') return failedJob(row);
        writeCustomerFile(resultsFile, row.output ?? '');
        const s = row.summary ?? {};
        for (const error of (s.fileErrors as string[] | undefined) ?? []) console.error(`error: ${error}`);
        console.log(`Created ${String(s.created ?? 0)}, updated ${String(s.updated ?? 0)}, unchanged ${String(s.unchanged ?? 0)}, empty ${String(s.empty ?? 0)}, not processed ${String(s.notProcessed ?? 0)}. Results: ${resultsFile}`);
        return Number(s.notProcessed ?? 0) > 0 || ((s.fileErrors as string[] | undefined) ?? []).length > 0 ? EXIT.failed : EXIT.ok;
      }),
    );
}
