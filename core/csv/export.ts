/**
 * `cosell export`: referrals → a bulk CSV file, streamed through csv-stringify into the caller's stream.
 *
 * "You can export a maximum of 5000 records" (bulk CSV seed): at most 5,000 rows are written, and the
 * result says when more matched. The number of `Solution N` / `Team member N` columns is the largest
 * any exported referral needs, so the header can only be written once every referral has been read: the
 * canonical referrals (at most 5,000) are kept until then, the CSV text never is — rows go through the
 * stringifier to the output one at a time, with back-pressure.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../logger.js';
import type { Referral } from '../model/index.js';
import { formatRow, headerRow, unrepresentable, widthsFor } from './format.js';
import { matchesFilter, type ReferralFilter, type ReferralGateway } from './ports.js';
import type { ImportProgress } from './import.js';
import { csvStringifier } from './writer.js';

export const MAX_EXPORT_RECORDS = 5000;

export interface ExportOptions {
  /** Where the CSV goes (a file stream, stdout). */
  output: Writable;
  filter?: ReferralFilter;
  /** At most {@link MAX_EXPORT_RECORDS}; a larger value is lowered to it. */
  limit?: number;
  /** Write a UTF-8 byte order mark so that Excel reads accents right (default true). */
  bom?: boolean;
  /** End `output` when done (default true; false for stdout). */
  end?: boolean;
  /** Told after each page read from Partner Center (`done` referrals kept so far, of at most `total`). */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ExportDeps {
  gateway: ReferralGateway;
  logger?: Logger;
}

export interface ExportResult {
  written: number;
  /** More referrals matched than were written. */
  truncated: boolean;
  columns: string[];
  /** Referrals whose row could not be imported back as written (see `unrepresentable`). */
  warnings: string[];
}

async function collect(gateway: ReferralGateway, filter: ReferralFilter, limit: number, onProgress: ExportOptions['onProgress']): Promise<{ referrals: Referral[]; truncated: boolean }> {
  const referrals: Referral[] = [];
  for await (const page of gateway.listReferrals(filter)) {
    for (const referral of page) {
      if (!matchesFilter(referral, filter)) continue;
      if (referrals.length === limit) return { referrals, truncated: true };
      referrals.push(referral);
    }
    onProgress?.({ phase: 'read', done: referrals.length, total: limit });
  }
  return { referrals, truncated: false };
}

export async function exportReferrals(options: ExportOptions, deps: ExportDeps): Promise<ExportResult> {
  const limit = Math.min(options.limit ?? MAX_EXPORT_RECORDS, MAX_EXPORT_RECORDS);
  const filter = options.filter ?? {};
  const { referrals, truncated } = await collect(deps.gateway, filter, limit, options.onProgress);
  const widths = widthsFor(referrals);
  const columns = headerRow(widths);
  function* rows(): Generator<string[]> {
    yield columns;
    for (const referral of referrals) yield formatRow(referral, widths);
  }
  const stringifier = csvStringifier({ bom: options.bom ?? true });
  await pipeline(Readable.from(rows()), stringifier, options.output, { end: options.end ?? true });
  if (truncated) deps.logger?.warn({ written: referrals.length, filter }, `export stopped at ${limit} referrals; narrow the filter to export the rest`);
  const warnings = referrals.flatMap((r) => unrepresentable(r).map((p) => `Referral ${r.referralId ?? r.dealName}: ${p}; the Solution and Team member columns separate parts with commas, so this row will not import back`));
  for (const warning of warnings) deps.logger?.warn(warning);
  return { written: referrals.length, truncated, columns, warnings };
}
