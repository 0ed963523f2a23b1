/**
 * `cosell import FILE`: a bulk CSV file → creates and updates in Partner Center.
 *
 * 1. Read the file; "If the file has more than 1000 records, it cannot be processed" (bulk CSV seed), so
 *    such a file is refused whole, as is one whose header is ambiguous.
 * 2. Check every row before any write (plan.ts): parse errors, the rules, unknown IDs, duplicates.
 * 3. Write: one create or update per row that passed; an unchanged row makes no call. A write Partner
 *    Center refuses fails its row only.
 * 4. Report "the number of referrals that got created, updated, and not processed" and, optionally,
 *    write the results file (results.ts).
 */
import { rememberingKeys, type ImportKeys } from './import-keys.js';
import type { Writable } from 'node:stream';
import { ConnectorError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Referral } from '../model/index.js';
import type { CreateOptions } from './build.js';
import { ENGAGEMENT_ID, REFERRAL_ID, SALES_STAGE, STATUS, SUBSTATUS } from './columns.js';
import { interruptedError, type RowError } from './errors.js';
import { columnForField } from './field-columns.js';
import { cellOf, type ParsedFile, type ParsedRow } from './parse.js';
import { planRow, refuseDuplicates, type RowPlan } from './plan.js';
import type { ReferralGateway } from './ports.js';
import { writeResults, type RowOutcome } from './results.js';
import { mapLimit } from './concurrency.js';
import { readImportFile, recordLimitErrors } from './record-limit.js';
import type { CsvSource } from './source.js';

export { MAX_IMPORT_RECORDS } from './record-limit.js';

export interface ImportProgress {
  /** `check`: rows judged so far; `write`: rows written (or skipped) so far. */
  phase: 'read' | 'check' | 'write';
  done: number;
  total: number;
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  notProcessed: number;
  /** Empty rows: reported in the results, nothing created. */
  empty: number;
}

export interface ImportOptions extends CreateOptions {
  /** Called after each row of each phase (the CLI drives a cli-progress bar with it). */
  onProgress?: (progress: ImportProgress) => void;
  /** Where to write the results file, if anywhere. */
  results?: Writable;
  /** Check only: plan every row, write nothing. */
  dryRun?: boolean;
  /** Parallel lookups during the check phase (default 8). Writes are made one at a time. */
  concurrency?: number;
  /**
   * Aborted by Ctrl-C or SIGTERM: the write in flight finishes, the rows after it are not sent and say so,
   * and the results file and summary still come out (a process just ended left an empty results file).
   */
  signal?: AbortSignal;
}

export interface ImportDeps {
  gateway: ReferralGateway;
  /** Where the keys of created deals are remembered, so that a sync replacing them never lets a re-upload create them again (import-keys.ts). */
  keys?: ImportKeys;
  logger?: Logger;
  /** The rules' clock (default: the system clock). */
  now?: () => Date;
}

export interface ImportResult {
  summary: ImportSummary;
  rows: RowOutcome[];
  /** Why the whole file was refused; empty when it was processed. */
  fileErrors: string[];
  fileWarnings: string[];
  /** What the check phase decided for each row (for a dry run). */
  plans: RowPlan[];
}

function summarise(rows: readonly RowOutcome[]): ImportSummary {
  const count = (kind: RowOutcome['outcome']) => rows.filter((r) => r.outcome === kind).length;
  return { created: count('created'), updated: count('updated'), unchanged: count('unchanged'), notProcessed: count('not-processed'), empty: count('empty') };
}

const ids = (r: Referral) => ({
  ...(r.referralId ? { referralId: r.referralId } : {}),
  ...(r.engagementId ? { engagementId: r.engagementId } : {}),
  ...(r.crmId ? { crmId: r.crmId } : {}),
});

/** Columns whose text on a create row need not describe the deal Partner Center created from it. */
const SET_BY_CREATE = [STATUS, SUBSTATUS, SALES_STAGE] as const;

/** A created deal's IDs, and its cells that the create row did not spell as the export would (results.ts). */
const createdRow = (r: Referral) => ({ ...ids(r), created: Object.fromEntries(SET_BY_CREATE.map((spec) => [spec.name, spec.format(r)])) });

/** A row without IDs asks for a new deal (plan.ts). */
const isCreateRow = (row: ParsedRow): boolean => (cellOf(row, REFERRAL_ID)?.text ?? '') === '' && (cellOf(row, ENGAGEMENT_ID)?.text ?? '') === '';

/** A write Partner Center refused, as the row's error (naming the column when the service named a field). */
function writeError(row: ParsedRow, action: string, error: unknown): RowError {
  const field = error instanceof ConnectorError ? error.context.field : undefined;
  const column = field ? columnForField(field, row) : undefined;
  const code = error instanceof ConnectorError ? `partner_center.${error.code}` : 'partner_center.failed';
  const message = `Partner Center refused the ${action}: ${(error as Error).message}`;
  return { row: row.row, ...(column ? { column } : field ? { field } : {}), code, message, severity: 'error' };
}

async function carryOut(plan: RowPlan, gateway: ReferralGateway, dryRun: boolean): Promise<RowOutcome> {
  const row = plan.row.row;
  switch (plan.kind) {
    case 'refused':
      return { row, outcome: 'not-processed', errors: plan.errors };
    case 'empty':
      return { row, outcome: 'empty', errors: plan.errors };
    case 'unchanged':
      // A create row whose key found the deal an earlier upload created: its results row reads as a created one's.
      return { row, outcome: 'unchanged', errors: plan.errors, ...(isCreateRow(plan.row) ? createdRow(plan.referral) : ids(plan.referral)) };
    case 'create':
      if (dryRun) return { row, outcome: 'created', errors: plan.errors };
      try {
        return { row, outcome: 'created', errors: plan.errors, ...createdRow(await gateway.createReferral(plan.referral)) };
      } catch (error) {
        return { row, outcome: 'not-processed', errors: [...plan.errors, writeError(plan.row, 'create', error)] };
      }
    case 'update':
      if (dryRun) return { row, outcome: 'updated', errors: plan.errors, ...ids(plan.previous) };
      try {
        return { row, outcome: 'updated', errors: plan.errors, ...ids(await gateway.updateReferral(plan.previous, plan.next)) };
      } catch (error) {
        return { row, outcome: 'not-processed', errors: [...plan.errors, writeError(plan.row, 'update', error)] };
      }
  }
}

/** The outcome of a planned row: carried out, or, once the import is stopped, a write left unsent. */
function outcomeOf(plan: RowPlan, gateway: ReferralGateway, options: ImportOptions): Promise<RowOutcome> {
  const unsent = options.signal?.aborted && (plan.kind === 'create' || plan.kind === 'update');
  if (unsent) return Promise.resolve({ row: plan.row.row, outcome: 'not-processed', errors: [...plan.errors, interruptedError(plan.row.row, 'deals')] });
  return carryOut(plan, gateway, options.dryRun ?? false);
}

function refuseFile(file: ParsedFile, fileErrors: string[]): ImportResult {
  const rows = file.rows.map((r): RowOutcome => ({ row: r.row, outcome: 'not-processed', errors: [] }));
  return { summary: summarise(rows), rows, fileErrors, fileWarnings: file.fileWarnings, plans: [] };
}

/** Imports a parsed file. Exposed for callers that already hold the text. */
export async function importParsed(file: ParsedFile, options: ImportOptions, deps: ImportDeps): Promise<ImportResult> {
  return importChecked(file, [...file.fileErrors, ...recordLimitErrors(file)], options, deps);
}

async function importChecked(file: ParsedFile, fileErrors: string[], options: ImportOptions, deps: ImportDeps): Promise<ImportResult> {
  if (fileErrors.length > 0) {
    const result = refuseFile(file, fileErrors);
    if (options.results) await writeResults(options.results, file, result.rows, fileErrors);
    return result;
  }
  const total = file.rows.length;
  const gateway = deps.keys ? rememberingKeys(deps.gateway, deps.keys) : deps.gateway;
  const ctx = {
    gateway,
    ...(deps.keys ? { keys: deps.keys } : {}),
    rules: { actor: 'us' as const, now: deps.now?.() ?? new Date() },
    create: options.location ? { location: options.location } : {},
  };
  let checked = 0;
  const planned = await mapLimit(file.rows, options.concurrency ?? 8, async (row) => {
    const plan: RowPlan = options.signal?.aborted ? { kind: 'refused', row, errors: [interruptedError(row.row, 'deals')] } : await planRow(row, ctx);
    checked += 1;
    options.onProgress?.({ phase: 'check', done: checked, total });
    return plan;
  });
  const plans = refuseDuplicates(planned);
  const rows: RowOutcome[] = [];
  for (const plan of plans) {
    rows.push(await outcomeOf(plan, gateway, options));
    options.onProgress?.({ phase: 'write', done: rows.length, total });
  }
  const summary = summarise(rows);
  deps.logger?.info({ ...summary, warnings: file.fileWarnings }, 'CSV import processed');
  if (options.results) await writeResults(options.results, file, rows);
  return { summary, rows, fileErrors: [], fileWarnings: file.fileWarnings, plans };
}

export async function importReferrals(file: CsvSource, options: ImportOptions, deps: ImportDeps): Promise<ImportResult> {
  const { parsed, fileErrors } = await readImportFile(file);
  return importChecked(parsed, fileErrors, options, deps);
}
