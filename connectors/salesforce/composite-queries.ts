/**
 * Runs several SOQL queries in one Composite call (one API call), following each query's
 * continuation in further Composite calls until every one is done. At most five query subrequests go
 * in one call, Salesforce's limit.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 */
import type { SfRecord } from './assemble.js';
import type { CompositeSubresponse, QueryResult, SalesforceClient } from './client.js';
import { toConnectorError } from './errors.js';

/** The error a failed Composite subrequest stands for, mapped like any Salesforce error (errors.ts). */
export function subrequestError(res: CompositeSubresponse): Error {
  const body = (Array.isArray(res.body) ? res.body[0] : res.body) as { errorCode?: string; message?: string } | undefined;
  return toConnectorError(Object.assign(new Error(body?.message ?? `HTTP ${res.httpStatusCode}`), { errorCode: body?.errorCode ?? `ERROR_HTTP_${res.httpStatusCode}` }), `reading ${res.referenceId}`);
}

export async function runCompositeQueries(client: SalesforceClient, queries: Readonly<Record<string, string>>): Promise<Record<string, SfRecord[]>> {
  const base = `/services/data/v${client.apiVersion}`;
  const rows: Record<string, SfRecord[]> = Object.fromEntries(Object.keys(queries).map((ref) => [ref, []]));
  const pending = Object.entries(queries).map(([ref, soql]) => ({ ref, url: `${base}/query/?q=${encodeURIComponent(soql)}` }));
  while (pending.length) {
    const batch = pending.splice(0, 5);
    const responses = await client.composite(batch.map((p) => ({ method: 'GET', url: p.url, referenceId: p.ref })), true);
    for (const res of responses) {
      if (res.httpStatusCode !== 200) throw subrequestError(res);
      const page = res.body as QueryResult<SfRecord>;
      rows[res.referenceId]?.push(...page.records);
      if (!page.done && page.nextRecordsUrl) pending.push({ ref: res.referenceId, url: `${base}/query/${page.nextRecordsUrl.split('/').pop()}` });
    }
  }
  return rows;
}
