/**
 * The dashboard against a multi-tenant PostgreSQL database (inject, no browser): `/` lists the tenants,
 * `?tenant=ID` shows that tenant's panels from its own store with the picker in the header (the chosen
 * tenant selected), the 30-second refresh keeps the tenant, `/api/status` lists tenants or shows one, an
 * unknown tenant is a 404 that names it, a tenant's health panel shows its cycles, and a tenant's panels
 * offer no action.
 */
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { resolveSecret } from '../../config/secrets.js';
import { dashboardSchema } from '../../core/dashboard/config.js';
import { dashboardPlugin } from '../../core/dashboard/plugin.js';
import { silentLogger } from '../../core/logger.js';
import { pgTenantDirectory } from '../../core/tenants/tenant-directory.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { CONTOSO, CONTOSO_PARKED, FABRIKAM, FABRIKAM_PARKED, seedTwoTenants } from '../tenants/observability-fixtures.js';

const NOW = new Date('2026-12-04T12:00:00Z');

describe('dashboard: tenant picker (PostgreSQL)', function () {
  this.timeout(60_000);
  const opened = useThrowawayPgDatabase();
  let app: FastifyInstance;
  before(async () => {
    await seedTwoTenants(opened().db, NOW);
    app = Fastify({ logger: false });
    await app.register(dashboardPlugin, {
      context: { tenants: pgTenantDirectory(opened().db), now: () => NOW, config: dashboardSchema.parse({}), resolveSecret, logger: silentLogger(), crmName: 'unused' },
    });
  });
  after(() => app?.close());

  it('lists the tenants, each a link to its panels', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
    assert.match(page.body, /<tr data-tenant="contoso"><td><a href="\?tenant=contoso">Contoso Ltd<\/a><\/td><td><code>contoso<\/code><\/td><td>Salesforce<\/td><\/tr>/);
    assert.match(page.body, /<tr data-tenant="fabrikam"><td><a href="\?tenant=fabrikam">Fabrikam<\/a><\/td><td><code>fabrikam<\/code><\/td><td>Dynamics 365<\/td><\/tr>/);
    assert.ok(!page.body.includes('id="parked"'), 'no panels before a tenant is chosen');
  });

  it("shows the chosen tenant's panels from its own store, with the picker", async () => {
    const contoso = await app.inject({ method: 'GET', url: '/?tenant=contoso' });
    assert.equal(contoso.statusCode, 200);
    assert.match(contoso.body, /<select id="tenant-select" name="tenant"><option value="contoso" selected>Contoso Ltd \(contoso\)<\/option><option value="fabrikam">Fabrikam \(fabrikam\)<\/option><\/select>/);
    assert.match(contoso.body, /cosell-connector · Salesforce ⇄ Partner Center/);
    assert.ok(contoso.body.includes(`data-parked="crm:${CONTOSO_PARKED}"`));
    assert.ok(!contoso.body.includes(FABRIKAM_PARKED), "another tenant's record is not shown");
    assert.match(contoso.body, /<div class="card" id="card-conflicts"><div class="label">Open conflicts<\/div><div class="figure">1<\/div>/);
    // Its health is its cycles, from the work record (what cosell status --tenant prints).
    assert.match(contoso.body, /The tenant&#39;s cycles, from the job queue&#39;s work record\./);
    assert.match(contoso.body, /<tr data-check="cycles"><td>cycles<\/td><td><span class="badge ok">ok<\/span><\/td><td>one is wanted for 2026-12-04T10:05:00\.000Z; the latest finished cycle was for 2026-12-04T10:00:00\.000Z/);
    assert.match(contoso.body, /<tr data-check="latest-cycle"><td>latest-cycle<\/td><td><span class="badge ok">ok<\/span><\/td><td>started 2026-12-04T10:00:01\.000Z, ended 2026-12-04T10:00:06\.000Z \(partial\)/);

    const fabrikam = await app.inject({ method: 'GET', url: '/?tenant=fabrikam' });
    assert.match(fabrikam.body, /<option value="fabrikam" selected>/);
    assert.match(fabrikam.body, /Dynamics 365 ⇄ Partner Center/);
    assert.ok(fabrikam.body.includes(`data-parked="partner-center:${FABRIKAM_PARKED}"`));
    assert.ok(!fabrikam.body.includes(CONTOSO_PARKED));
    assert.match(fabrikam.body, /<div class="card" id="card-conflicts"><div class="label">Open conflicts<\/div><div class="figure">0<\/div>/);
    assert.match(fabrikam.body, /<tr data-check="cycles"><td>cycles<\/td><td><span class="badge ok">ok<\/span><\/td><td>none wanted yet/);
  });

  it('keeps the tenant in the refresh, and offers no action on a tenant\'s records', async () => {
    const page = await app.inject({ method: 'GET', url: '/?tenant=contoso' });
    assert.match(page.body, /new URLSearchParams\(location\.search\); query\.set\('fragment', '1'\)/);
    const fragment = await app.inject({ method: 'GET', url: '/?tenant=contoso&fragment=1' });
    assert.equal(fragment.statusCode, 200);
    assert.ok(fragment.body.startsWith('<div class="cards">'), 'the panels alone');
    assert.ok(fragment.body.includes(CONTOSO_PARKED));
    assert.ok(!/Retry now<\/button>|Take CRM<\/button>|name="csrf"/.test(fragment.body), 'no action form');
    assert.match(fragment.body, /Actions on a tenant&#39;s records \(settle a conflict, retry now\) are not available/);
    const refused = await app.inject({ method: 'POST', url: `/parked/crm/${CONTOSO_PARKED}/retry`, payload: 'csrf=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(refused.statusCode, 401, 'actions still need a session first');
  });

  it('answers JSON: the tenants without a tenant, one tenant with one', async () => {
    const list = (await app.inject({ method: 'GET', url: '/api/status' })).json() as { tenants: { id: string; name: string; crmName: string }[] };
    assert.deepEqual(list.tenants, [{ ...CONTOSO, crmName: 'Salesforce' }, { ...FABRIKAM, crmName: 'Dynamics 365' }]);
    const one = (await app.inject({ method: 'GET', url: '/api/status?tenant=fabrikam' })).json() as { parked: { recordId: string }[]; runs: unknown[]; notices: unknown[] };
    assert.deepEqual(one.parked.map((p) => p.recordId), [FABRIKAM_PARKED]);
    assert.deepEqual([one.runs, one.notices], [[], []]);
    const contoso = (await app.inject({ method: 'GET', url: '/api/status?tenant=contoso' })).json() as { notices: unknown[]; runs: { outcome: string }[] };
    assert.deepEqual(contoso.notices, [{ cause: `parked:crm:${CONTOSO_PARKED}:f`, kind: 'parked', createdAt: '2026-12-04T10:00:06.000Z', sentAt: '2026-12-04T10:01:00.000Z' }]);
    assert.deepEqual(contoso.runs.map((r) => r.outcome), ['partial']);
  });

  it('answers 404 for a tenant that does not exist, naming it (escaped)', async () => {
    const page = await app.inject({ method: 'GET', url: '/?tenant=%3Cb%3Enorthwind' });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /There is no tenant &lt;b&gt;northwind\./);
    const json = await app.inject({ method: 'GET', url: '/api/status?tenant=northwind' });
    assert.equal(json.statusCode, 404);
    assert.deepEqual(json.json(), { error: 'There is no tenant northwind.' });
  });
});
