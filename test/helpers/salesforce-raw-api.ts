/**
 * A seeded Salesforce sandbox and its REST API over raw HTTP (global fetch, a client-credentials token), for
 * tests that check the wire itself rather than jsforce's reading of it. Call inside a `describe`: it hooks
 * `before` and `after`.
 */
import type { SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { startSalesforceHarness, type SalesforceHarness } from './salesforce-harness.js';

export interface RawSalesforceApi {
  sandbox(): SalesforceSandbox;
  /** A request to `/services/data/v62.0{path}`, authorised, JSON. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** The records a Query (or QueryAll) answers. */
  rows(soql: string, resource?: 'query' | 'queryAll'): Promise<Record<string, unknown>[]>;
}

export function useRawSalesforceApi(): RawSalesforceApi {
  let h: SalesforceHarness | undefined;
  let token = '';
  before(async () => {
    h = await startSalesforceHarness({ setup: false });
    h.sandbox.seed();
    const { clientId, clientSecret } = h.sandbox.credentials;
    const res = await fetch(`${h.sandbox.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }) });
    token = ((await res.json()) as { access_token: string }).access_token;
  });
  after(() => h?.close());
  const sandbox = () => {
    if (!h) throw new Error('the sandbox starts in before()');
    return h.sandbox;
  };
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${sandbox().url}/services/data/v62.0${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const rows = async (soql: string, resource: 'query' | 'queryAll' = 'query') => ((await (await api(`/${resource}?q=${encodeURIComponent(soql)}`)).json()) as { records: Record<string, unknown>[] }).records;
  return { sandbox, api, rows };
}
