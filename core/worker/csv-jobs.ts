/**
 * A tenant's bulk CSV import or export as a worker runs it (`cosell tenants import|export`): the command
 * records the job in `tenant_csv_jobs` (PostgreSQL migration 8) with the submitted file, the queue hands
 * its ID to a worker, the worker runs the same import or export a single install runs (core/csv/) with
 * the tenant's Partner Center sign-in, and stores the file it produced (the export, or the import's
 * results file) for the command to write out. Neither touches the tenant's sync state, so a CSV job runs
 * beside the tenant's cycle; Partner Center's calls come out of the organisation's shared budget.
 */
import { Writable } from 'node:stream';
import type pg from 'pg';
import { exportReferrals, importKeysIn, importReferrals, partnerCenterGateway, type ReferralFilter } from '../csv/index.js';
import { ConnectorError, failureText } from '../errors.js';
import { openTenantRuntime, type TenantRuntimeInput } from './tenant-runtime.js';

export type CsvJobOptions =
  | { kind: 'export'; filter: ReferralFilter }
  | { kind: 'import'; location?: string; dryRun: boolean };

export interface CsvJobRow {
  id: number;
  tenantId: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  output?: string;
  summary?: Record<string, unknown>;
  message?: string;
}

export async function submitCsvJob(pool: pg.Pool, tenantId: string, options: CsvJobOptions, input: Buffer | undefined, now: Date): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    'INSERT INTO tenant_csv_jobs (tenant_id, kind, options_json, input, created_at) VALUES ($1, $2, $3::json, $4, $5) RETURNING id',
    [tenantId, options.kind, JSON.stringify(options), input ?? null, now],
  );
  return rows[0]!.id;
}

export async function readCsvJob(pool: pg.Pool, id: number): Promise<CsvJobRow | undefined> {
  const { rows } = await pool.query<{ id: number; tenant_id: string; state: CsvJobRow['state']; output: string | null; summary_json: string | null; message: string | null }>(
    'SELECT id, tenant_id, state, output, summary_json::text AS summary_json, message FROM tenant_csv_jobs WHERE id = $1',
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    id: row.id, tenantId: row.tenant_id, state: row.state,
    ...(row.output !== null ? { output: row.output } : {}),
    ...(row.summary_json ? { summary: JSON.parse(row.summary_json) as Record<string, unknown> } : {}),
    ...(row.message ? { message: row.message } : {}),
  };
}

/** Collects what a CSV writer writes, as text. */
function textSink(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({ write(chunk: Buffer | string, _encoding, done) { chunks.push(Buffer.from(chunk)); done(); } });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs one CSV job: the worker's queue handler. A failure is stored on the row for the command to show, and
 * not retried: the admin fixes the file or the sign-in and submits again (the import is idempotent by row).
 */
export async function runCsvJob(input: Omit<TenantRuntimeInput, 'tenantId'>, id: number): Promise<void> {
  const pool = input.db.pool;
  const { rows } = await pool.query<{ tenant_id: string; options_json: string; input: Buffer | null }>(
    "UPDATE tenant_csv_jobs SET state = 'running' WHERE id = $1 AND state IN ('waiting', 'running') RETURNING tenant_id, options_json::text AS options_json, input",
    [id],
  );
  const job = rows[0];
  if (!job) return; // finished already (a retry after the worker stored the outcome)
  try {
    const options = JSON.parse(job.options_json) as CsvJobOptions;
    const runtime = await openTenantRuntime({ ...input, tenantId: job.tenant_id });
    const gateway = partnerCenterGateway(runtime.partnerCenterClient);
    const sink = textSink();
    let summary: Record<string, unknown>;
    if (options.kind === 'export') {
      const result = await exportReferrals({ output: sink.stream, filter: options.filter }, { gateway, logger: runtime.deps.logger });
      summary = { written: result.written, truncated: result.truncated, warnings: result.warnings };
    } else {
      if (!job.input) throw new ConnectorError('csv.no_input', `CSV job ${id} has no file to import.`, false, { record: String(id) });
      const location = options.location ?? runtime.config.sync.defaultLocation;
      const result = await importReferrals({ content: job.input }, { ...(location ? { location } : {}), results: sink.stream, dryRun: options.dryRun }, { gateway, keys: importKeysIn(runtime.deps.store), logger: runtime.deps.logger });
      summary = { ...result.summary, fileErrors: result.fileErrors, fileWarnings: result.fileWarnings };
    }
    await pool.query("UPDATE tenant_csv_jobs SET state = 'done', output = $2, summary_json = $3::json, finished_at = now() WHERE id = $1", [id, sink.text(), JSON.stringify(summary)]);
  } catch (error) {
    // The command prints it on the admin's terminal: a library's error (the database's, an HTTP client's)
    // may quote a token or carry control characters, so it is stored as every failure is told.
    await pool.query("UPDATE tenant_csv_jobs SET state = 'failed', message = $2, finished_at = now() WHERE id = $1", [id, failureText(error)]);
    input.logger.warn({ csvJob: id, tenant: job.tenant_id, err: error }, 'CSV job failed');
  }
}
