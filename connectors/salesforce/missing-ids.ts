/**
 * Which linked opportunities are gone (`CrmAdapter.missingIds`, asked after a deletion gap for every linked
 * deal): `SELECT Id FROM Opportunity WHERE Id IN (…)`, IDs only, five such queries in one Composite call
 * (one API call), as reads by ID do (deals-by-id.ts). A deleted opportunity sits in the Recycle Bin, which
 * `query` does not search (`queryAll` would), so it counts as missing, as one whose Recycle Bin was emptied does.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 *
 * Why 400 IDs a query: an ID costs about 30 characters of the subrequest's URL once encoded
 * (`%27006…%27%2C%20`), so 400 keep that URL near 12,000 characters, inside the 16,384 bytes Salesforce
 * allows a request's URI and headers, should a subrequest's URL be held to that too (not documented either
 * way; the SOQL statement itself may run to 100,000 characters). 400 rows at most come back, well inside
 * one 2,000-row batch: one subrequest a query, 2,000 IDs a call, 10,000 linked deals in five calls (the
 * plain query per 200 IDs this replaced took 50).
 * https://help.salesforce.com/s/articleView?id=000386264&type=1
 */
import { chunks } from '../../core/chunks.js';
import type { SalesforceClient } from './client.js';
import { QUERIES_PER_CALL } from './composite-limits.js';
import { runCompositeQueries } from './composite-queries.js';
import { byIdsQuery, isRecordId } from './soql.js';

/** IDs per query: see above. */
export const MISSING_IDS_PER_QUERY = 400;

/**
 * The given IDs that no opportunity has any more, in the order given. An ID that is not a Salesforce record
 * ID at all is not reported: it was never Salesforce's to delete. IDs compare on their 15-character form.
 */
export async function missingOpportunityIds(client: SalesforceClient, ids: readonly string[]): Promise<string[]> {
  const valid = new Set(ids.filter(isRecordId));
  const present = new Set<string>();
  for (const call of chunks([...valid], MISSING_IDS_PER_QUERY * QUERIES_PER_CALL)) {
    const queries = Object.fromEntries(chunks(call, MISSING_IDS_PER_QUERY).map((chunk, i) => [`ids${i}`, byIdsQuery(['Id'], chunk)]));
    for (const rows of Object.values(await runCompositeQueries(client, queries))) for (const r of rows) present.add(r.Id.slice(0, 15));
  }
  // (Sets: after a deletion gap this is every linked deal, and a list scan per ID was quadratic.)
  return ids.filter((id) => valid.has(id) && !present.has(id.slice(0, 15)));
}
