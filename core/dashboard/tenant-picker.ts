/**
 * The tenant picker of a multi-tenant dashboard: the tenants as a list to choose from (the page at `/`
 * without a tenant) and as a select in the header of a tenant's panels. A plain GET form with the tenant
 * in the query (`?tenant=ID`), so it works without JavaScript and every relative link of the page (the
 * 30-second refresh, `/api/status`) keeps the chosen tenant.
 */
import type { TenantEntry } from './context.js';
import { html, type Html } from './html.js';

/** The select in the header; the chosen tenant is selected. */
export function tenantPicker(tenants: readonly TenantEntry[], chosen: string): Html {
  const options = tenants.map((t) => html`<option value="${t.id}"${t.id === chosen ? html` selected` : ''}>${t.name}${t.name !== t.id ? ` (${t.id})` : ''}</option>`);
  return html`<form class="tenant-picker" method="get"><label for="tenant-select">Tenant</label> <select id="tenant-select" name="tenant">${options}</select> <button type="submit" class="secondary">Show</button></form>`;
}

/** The list shown before a tenant is chosen. */
export function tenantList(tenants: readonly TenantEntry[]): Html {
  if (tenants.length === 0) return html`<section class="panel" id="tenants"><h2>Tenants</h2><p class="empty">No tenants yet; add one with <code>cosell tenants add</code>.</p></section>`;
  const rows = tenants.map((t) => html`<tr data-tenant="${t.id}"><td><a href="?tenant=${encodeURIComponent(t.id)}">${t.name}</a></td><td><code>${t.id}</code></td><td>${t.crmName}</td></tr>`);
  return html`<section class="panel" id="tenants" aria-labelledby="tenants-h"><h2 id="tenants-h">Tenants</h2>
<p class="hint">Choose a partner organisation to see its pipeline, parked records, conflicts and runs.</p>
<div class="table-wrap"><table><thead><tr><th>Tenant</th><th>ID</th><th>CRM</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** The tenant the request asks for, if it is well formed (the directory says whether it exists). */
export function requestedTenant(query: unknown): string | undefined {
  const tenant = (query as { tenant?: unknown } | undefined)?.tenant;
  return typeof tenant === 'string' && tenant !== '' ? tenant : undefined;
}
