/**
 * Deals of one customer share its account and contact rows. An update that edits one of them (a customer
 * Partner Center changed on one referral, written through that referral's deal) changes every deal that uses
 * the row, so the write names those other opportunities (`customerSharedWith`) and the engine reads them again
 * in the same run: their referrals take the change before the run ends, and no record of theirs says *synced*
 * over the old customer for a run (until 2026-12-06 it did: test/e2e/shared-customer-same-run.test.ts). One
 * `$batch` of look-ups, only after such an edit.
 */
import type { BatchEntry } from './batch-format.js';
import type { DataverseClient } from './client.js';
import { chunks } from '../../core/chunks.js';
import { addWriter, otherDealsOf } from '../shared-customers.js';
import { allRowsInBatch } from './pages.js';
import { IDS_PER_QUERY, inFilter, query } from './queries.js';

/** The customer tables an update may edit, with the opportunity lookup that points at each. */
const TABLES = [
  { set: 'accounts', lookup: '_parentaccountid_value' },
  { set: 'contacts', lookup: '_parentcontactid_value' },
] as const;

/** One successful update and the customer rows its operations edited (`PATCH accounts(…)`, `PATCH contacts(…)`). */
export interface CustomerEdit {
  key: string;
  crmId: string;
  entry: BatchEntry;
}

const lower = (v: unknown) => String(v).toLowerCase();

/** Row ID → the writes that edited it, per customer table. */
function editedRows(edits: readonly CustomerEdit[]): Map<string, CustomerEdit[]>[] {
  return TABLES.map(({ set }) => {
    const rows = new Map<string, CustomerEdit[]>();
    const pattern = new RegExp(`^${set}\\(([0-9a-f-]+)\\)$`, 'i');
    for (const edit of edits) {
      const operations = edit.entry.kind === 'changeset' ? edit.entry.operations : [edit.entry.operation];
      for (const op of operations) {
        const id = op.method === 'PATCH' ? pattern.exec(op.url)?.[1] : undefined;
        if (id) addWriter(rows, lower(id), edit);
      }
    }
    return rows;
  });
}

/** Write key → the other opportunities using an account or contact that write edited. */
export async function dealsSharing(client: DataverseClient, edits: readonly CustomerEdit[]): Promise<Map<string, string[]>> {
  const rowsPerTable = editedRows(edits);
  const asks = TABLES.flatMap((table, i) => chunks([...rowsPerTable[i]!.keys()], IDS_PER_QUERY).map((ids) => ({ i, url: query('opportunities', { $select: `opportunityid,${table.lookup}`, $filter: inFilter(table.lookup, ids) }) })));
  if (!asks.length) return new Map();
  const answers = await allRowsInBatch<Record<string, unknown>>(client, 'reading the other opportunities of the customers written', asks.map((a) => a.url));
  const users = answers.flatMap((rows, n) => {
    const { i } = asks[n]!;
    return rows.map((o) => ({ writers: rowsPerTable[i]!.get(lower(o[TABLES[i]!.lookup])), opportunityId: lower(o.opportunityid) }));
  });
  return otherDealsOf(users, lower);
}
