/**
 * `cosell import FILE --to-crm`: a Partner Center export → opportunities in the CRM, for admins who
 * start from Partner Center. Each row must carry its Referral ID (the deal already exists in Partner
 * Center); the CRM is asked which referral IDs it already holds (`findAllByReferralIds`) before anything is
 * written, so a re-run creates nothing twice. Creates go in batches of the adapter's `maxBatchSize`.
 *
 * The file does not say whether a deal is inbound or outbound ("The export function takes in to
 * account the current tab"), so the caller says which tab it came from (default: outbound).
 */
import type { Writable } from 'node:stream';
import { chunks } from '../chunks.js';
import type { CrmAdapter, CrmWrite, SyncStatus } from '../engine/crm-port.js';
import { oldestCarriers } from '../engine/crm-port.js';
import type { Logger } from '../logger.js';
import { emptyReferral, MicrosoftStatus, type Direction, type Referral } from '../model/index.js';
import { buildUpdate } from './build.js';
import { ENGAGEMENT_ID, MICROSOFT_STATUS, REFERRAL_ID } from './columns.js';
import { isBlocking, type RowError } from './errors.js';
import type { ImportProgress } from './import.js';
import { cellOf, type ParsedRow } from './parse.js';
import { writeResults, type RowOutcome } from './results.js';
import type { CrmCreateIntents } from './create-intents.js';
import { readImportFile } from './record-limit.js';
import type { CsvSource } from './source.js';

export interface ToCrmOptions {
  /** The Partner Center tab the export came from. */
  direction?: Direction;
  onProgress?: (progress: ImportProgress) => void;
  results?: Writable;
}

export interface ToCrmDeps {
  crm: CrmAdapter;
  /** Where the creates are announced before they are made, so that the next sync links them (create-intents.ts). */
  intents?: CrmCreateIntents;
  logger?: Logger;
  now?: () => Date;
}

export interface ToCrmResult {
  summary: { created: number; unchanged: number; notProcessed: number; empty: number };
  rows: RowOutcome[];
  fileErrors: string[];
  fileWarnings: string[];
}

/** The referral an exported row describes, as Partner Center holds it. Pure. */
export function exportedReferral(row: ParsedRow, direction: Direction): { referral: Referral; errors: RowError[] } {
  const referralId = cellOf(row, REFERRAL_ID)?.text ?? '';
  const engagementId = cellOf(row, ENGAGEMENT_ID)?.text ?? '';
  const microsoft = cellOf(row, MICROSOFT_STATUS)?.text ?? '';
  const base = emptyReferral({ direction, ...(referralId ? { referralId } : {}), ...(engagementId ? { engagementId } : {}) });
  if (microsoft && MicrosoftStatus.values.some((v) => v.code.toLowerCase() === microsoft.toLowerCase())) base.microsoft = { status: MicrosoftStatus.fromCode(microsoft) };
  const built = buildUpdate(row, base);
  const errors = [...row.errors, ...built.errors];
  if (!referralId) {
    errors.push({ row: row.row, column: REFERRAL_ID.name, code: 'csv.referral_id_required', message: 'is required to create the opportunity in the CRM: use a Partner Center export, or import the row into Partner Center first', severity: 'error' });
  }
  return { referral: built.referral, errors };
}

function syncStatus(r: Referral, now: Date): SyncStatus {
  return {
    state: 'synced',
    message: '',
    lastSyncedAt: now.toISOString(),
    ...(r.referralId ? { referralId: r.referralId } : {}),
    ...(r.engagementId ? { engagementId: r.engagementId } : {}),
    ...(r.microsoft ? { microsoftStatus: r.microsoft.status } : {}),
    dealType: r.dealType,
    direction: r.direction,
  };
}

export async function importToCrm(file: CsvSource, options: ToCrmOptions, deps: ToCrmDeps): Promise<ToCrmResult> {
  const { parsed, fileErrors } = await readImportFile(file);
  const outcomes = new Map<number, RowOutcome>();
  const pending: { row: ParsedRow; referral: Referral }[] = [];
  const seen = new Map<string, number>();
  for (const row of fileErrors.length > 0 ? [] : parsed.rows) {
    if (row.shape !== 'data') {
      const empty = row.shape === 'empty';
      const errors = empty ? [{ row: row.row, code: 'csv.empty_row', message: 'the row is empty; nothing was created', severity: 'warning' as const }] : row.errors;
      outcomes.set(row.row, { row: row.row, outcome: empty ? 'empty' : 'not-processed', errors });
      continue;
    }
    const { referral, errors } = exportedReferral(row, options.direction ?? 'outbound');
    const first = referral.referralId ? seen.get(referral.referralId) : undefined;
    if (first !== undefined) errors.push({ row: row.row, column: REFERRAL_ID.name, code: 'csv.duplicate_row', message: `the same referral as row ${first}; only row ${first} is processed`, severity: 'error' });
    if (isBlocking(errors)) outcomes.set(row.row, { row: row.row, outcome: 'not-processed', errors });
    else pending.push({ row, referral });
    if (referral.referralId && first === undefined) seen.set(referral.referralId, row.row);
    options.onProgress?.({ phase: 'check', done: outcomes.size + pending.length, total: parsed.rows.length });
  }
  const existing = pending.length > 0 ? oldestCarriers(await deps.crm.findAllByReferralIds(pending.map((p) => p.referral.referralId as string))) : new Map<string, string>();
  const toCreate = pending.filter((p) => {
    const crmId = existing.get(p.referral.referralId as string);
    if (crmId) outcomes.set(p.row.row, { row: p.row.row, outcome: 'unchanged', errors: [], referralId: p.referral.referralId as string, crmId });
    return !crmId;
  });
  const now = deps.now?.() ?? new Date();
  let written = 0;
  for (const batch of chunks(toCreate, Math.max(1, deps.crm.maxBatchSize))) {
    const writes: CrmWrite[] = batch.map((p) => ({ kind: 'create', key: p.referral.referralId as string, referral: p.referral, status: syncStatus(p.referral, now) }));
    await deps.intents?.creating(writes.map((w) => w.key));
    const results = new Map((await deps.crm.write(writes)).map((r) => [r.key, r]));
    for (const p of batch) {
      const result = results.get(p.referral.referralId as string);
      const ids = { referralId: p.referral.referralId as string, ...(p.referral.engagementId ? { engagementId: p.referral.engagementId } : {}) };
      if (result?.ok) outcomes.set(p.row.row, { row: p.row.row, outcome: 'created', errors: [], ...ids, crmId: result.crmId });
      else {
        const message = `${deps.crm.displayName} refused the opportunity: ${result ? result.message : 'no result was returned for it'}`;
        outcomes.set(p.row.row, { row: p.row.row, outcome: 'not-processed', errors: [{ row: p.row.row, code: `crm.${result && !result.ok ? result.code : 'failed'}`, message, severity: 'error' }], ...ids });
      }
    }
    written += batch.length;
    options.onProgress?.({ phase: 'write', done: written, total: toCreate.length });
  }
  const rows = parsed.rows.map((r) => outcomes.get(r.row) ?? { row: r.row, outcome: 'not-processed' as const, errors: [] });
  if (options.results) await writeResults(options.results, parsed, rows, fileErrors);
  const count = (kind: RowOutcome['outcome']) => rows.filter((r) => r.outcome === kind).length;
  const summary = { created: count('created'), unchanged: count('unchanged'), notProcessed: count('not-processed'), empty: count('empty') };
  deps.logger?.info({ ...summary, crm: deps.crm.displayName }, 'CSV import to the CRM processed');
  return { summary, rows, fileErrors, fileWarnings: parsed.fileWarnings };
}
