/**
 * Which of these opportunities no longer exist: one IN-filtered query on `opportunityid` per 250 IDs, all
 * in one `$batch` of GETs (pages.ts). Shared by the engine's deletion-gap check (`missingIds`) and the first
 * run's check of rows its read saw that the change-tracking listing after it did not name (first-read.ts).
 */
import type { DataverseClient } from './client.js';
import { chunks } from '../../core/chunks.js';
import { allRowsInBatch } from './pages.js';
import { IDS_PER_QUERY, inFilter, query } from './queries.js';

export async function missingOpportunities(client: DataverseClient, crmIds: readonly string[]): Promise<string[]> {
  if (crmIds.length === 0) return [];
  const urls = chunks([...new Set(crmIds.map((id) => id.toLowerCase()))], IDS_PER_QUERY).map((chunk) => query('opportunities', { $select: 'opportunityid', $filter: inFilter('opportunityid', chunk) }));
  const answers = await allRowsInBatch<Record<string, unknown>>(client, 'checking which opportunities still exist', urls);
  const present = new Set(answers.flatMap((rows) => rows.map((row) => String(row.opportunityid).toLowerCase())));
  return crmIds.filter((id) => !present.has(id.toLowerCase()));
}
