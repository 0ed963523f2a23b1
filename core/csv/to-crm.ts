/**
 * `cosell import FILE --to-crm`: a Partner Center export → opportunities in the CRM, for admins who
 * start from Partner Center. Each row must carry its Referral ID (the deal already exists in Partner
 * Center); the CRM is asked first which referral IDs it already holds (`findAllByReferralIds`, one call):
 * those rows are unchanged, so a re-run creates nothing twice and reads nothing from Partner Center. Creates go in batches of the adapter's `maxBatchSize`.
 *
 * Each other row's referral is read from Partner Center (once per ID) and the row applied to it as an update would be (a cell
 * that reads as the export wrote it changes nothing): the file cannot carry everything the sync writes onto
 * a record (solution kinds and names, decline notes, Microsoft's side), and the first sync took what the
 * file left out for a seller's edit, which on a closed deal it can never send. A Referral ID Partner Center
 * does not have is refused instead of becoming an opportunity the sync can only park. The referral also
 * says whether it is inbound or outbound ("The export function takes in to account the current tab");
 * `direction`, when given, says which tab the file came from, and a row of the other tab is refused.
 */
import type { Writable } from 'node:stream';
import { chunks } from '../chunks.js';
import type { CrmAdapter, CrmWrite, SyncStatus } from '../engine/crm-port.js';
import { oldestCarriers } from '../engine/crm-port.js';
import type { Logger } from '../logger.js';
import type { Direction, Referral } from '../model/index.js';
import { buildUpdate } from './build.js';
import { ENGAGEMENT_ID, REFERRAL_ID } from './columns.js';
import { mapLimit } from './concurrency.js';
import { interruptedError, isBlocking, type RowError } from './errors.js';
import type { ImportProgress } from './import.js';
import { cellOf, type ParsedRow } from './parse.js';
import { writeResults, type RowOutcome } from './results.js';
import type { CrmCreateIntents } from './create-intents.js';
import { readImportFile } from './record-limit.js';
import type { CsvSource } from './source.js';
import type { ReferralGateway } from './ports.js';

export interface ToCrmOptions {
  /** The Partner Center tab the export came from; a row whose referral is in the other one is refused. */
  direction?: Direction;
  /** Partner Center reads in flight at once. */
  concurrency?: number;
  /** Aborted by Ctrl-C or SIGTERM: the batch in flight finishes, later rows are not sent and say so. */
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
  results?: Writable;
}

export interface ToCrmDeps {
  crm: CrmAdapter;
  /** Where each row's referral is read: the opportunity carries it as Partner Center holds it. */
  partnerCenter: Pick<ReferralGateway, 'getReferral'>;
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

const rowError = (row: ParsedRow, column: string, code: string, message: string): RowError => ({ row: row.row, column, code, message, severity: 'error' });

/**
 * The referral an exported row describes: Partner Center's (`current`, read by the row's Referral ID) with
 * the row's cells applied as an update applies them. Pure.
 */
export function exportedReferral(row: ParsedRow, current: Referral | undefined, direction?: Direction): { referral?: Referral; errors: RowError[] } {
  const referralId = cellOf(row, REFERRAL_ID)?.text ?? '';
  const engagementId = cellOf(row, ENGAGEMENT_ID)?.text ?? '';
  if (!referralId) {
    return { errors: [...row.errors, rowError(row, REFERRAL_ID.name, 'csv.referral_id_required', 'is required to create the opportunity in the CRM: use a Partner Center export, or import the row into Partner Center first')] };
  }
  if (!current) {
    return { errors: [...row.errors, rowError(row, REFERRAL_ID.name, 'csv.unknown_referral', `no referral with Referral ID "${referralId}" exists in Partner Center (or it is not visible to you); nothing was created for it: correct the ID, or import the row into Partner Center first`)] };
  }
  const errors = [...row.errors];
  if (engagementId && current.engagementId !== engagementId) {
    errors.push(rowError(row, ENGAGEMENT_ID.name, 'csv.id_mismatch', `Engagement ID "${engagementId}" does not belong to Referral ID "${referralId}" (its engagement is "${current.engagementId ?? 'none'}")`));
  }
  if (direction && current.direction !== direction) {
    errors.push(rowError(row, REFERRAL_ID.name, 'csv.direction_mismatch', `is an ${current.direction} referral in Partner Center, and this file was imported as the ${direction} tab (--direction ${direction}): import it with --direction ${current.direction}, or without --direction`));
  }
  const built = buildUpdate(row, current);
  return { referral: built.referral, errors: [...errors, ...built.errors] };
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
  const dataRows = fileErrors.length > 0 ? [] : parsed.rows;
  const idOf = (row: ParsedRow) => (row.shape === 'data' ? cellOf(row, REFERRAL_ID)?.text ?? '' : '');
  const ids = [...new Set(dataRows.map(idOf).filter(Boolean))];
  const asked = new Set(ids);
  // The CRM is asked first, in one call: a referral it holds already is reported unchanged without reading
  // Partner Center (a re-run of a file of 5,000 rows read 5,000 referrals to create nothing), and a referral
  // named by several rows is read once.
  const held = ids.length > 0 ? oldestCarriers(await deps.crm.findAllByReferralIds(ids)) : new Map<string, string>();
  const reads = new Map<string, Promise<Referral | undefined>>();
  let read = 0;
  const current = await mapLimit(dataRows, options.concurrency ?? 8, async (row) => {
    const referralId = idOf(row);
    if (referralId && !held.has(referralId) && !reads.has(referralId)) reads.set(referralId, deps.partnerCenter.getReferral(referralId));
    const referral = await reads.get(referralId);
    options.onProgress?.({ phase: 'check', done: (read += 1), total: dataRows.length });
    return referral;
  });
  for (const [i, row] of dataRows.entries()) {
    if (row.shape !== 'data') {
      const empty = row.shape === 'empty';
      const errors = empty ? [{ row: row.row, code: 'csv.empty_row', message: 'the row is empty; nothing was created', severity: 'warning' as const }] : row.errors;
      outcomes.set(row.row, { row: row.row, outcome: empty ? 'empty' : 'not-processed', errors });
      continue;
    }
    const heldCrmId = held.get(idOf(row));
    if (heldCrmId) {
      const referralId = idOf(row);
      const first = seen.get(referralId);
      const errors = [...row.errors];
      if (first !== undefined) errors.push(rowError(row, REFERRAL_ID.name, 'csv.duplicate_row', `the same referral as row ${first}; only row ${first} is processed`));
      else seen.set(referralId, row.row);
      outcomes.set(row.row, isBlocking(errors) ? { row: row.row, outcome: 'not-processed', errors } : { row: row.row, outcome: 'unchanged', errors, referralId, crmId: heldCrmId });
      continue;
    }
    const { referral, errors } = exportedReferral(row, current[i], options.direction);
    const first = referral?.referralId ? seen.get(referral.referralId) : undefined;
    if (first !== undefined) errors.push(rowError(row, REFERRAL_ID.name, 'csv.duplicate_row', `the same referral as row ${first}; only row ${first} is processed`));
    if (!referral || isBlocking(errors)) outcomes.set(row.row, { row: row.row, outcome: 'not-processed', errors });
    else pending.push({ row, referral });
    if (referral?.referralId && first === undefined) seen.set(referral.referralId, row.row);
  }
  // Asked again only for a referral whose ID Partner Center spells otherwise than the file (letter case).
  const unasked = pending.map((p) => p.referral.referralId as string).filter((id) => !asked.has(id));
  const existing = unasked.length > 0 ? oldestCarriers(await deps.crm.findAllByReferralIds(unasked)) : new Map<string, string>();
  const toCreate = pending.filter((p) => {
    const crmId = existing.get(p.referral.referralId as string);
    if (crmId) outcomes.set(p.row.row, { row: p.row.row, outcome: 'unchanged', errors: [], referralId: p.referral.referralId as string, crmId });
    return !crmId;
  });
  const now = deps.now?.() ?? new Date();
  let written = 0;
  for (const batch of chunks(toCreate, Math.max(1, deps.crm.maxBatchSize))) {
    if (options.signal?.aborted) {
      for (const p of batch) outcomes.set(p.row.row, { row: p.row.row, outcome: 'not-processed', errors: [interruptedError(p.row.row, 'opportunities')] });
      continue;
    }
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
