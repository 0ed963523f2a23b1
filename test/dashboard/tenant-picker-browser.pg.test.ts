/**
 * The tenant picker in a real browser (playwright-core driving Debian's Chromium) against a throwaway
 * PostgreSQL database with two tenants: the list links to a tenant's panels, and choosing another tenant
 * in the header's picker shows that tenant's panels (its own records only), without any script needed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { resolveSecret } from '../../config/secrets.js';
import { dashboardSchema } from '../../core/dashboard/config.js';
import { dashboardPlugin } from '../../core/dashboard/plugin.js';
import { silentLogger } from '../../core/logger.js';
import { pgTenantDirectory } from '../../core/tenants/tenant-directory.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { CONTOSO_PARKED, FABRIKAM_PARKED, seedTwoTenants } from '../tenants/observability-fixtures.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('dashboard: tenant picker in a real browser (PostgreSQL)', function () {
  this.timeout(120_000);
  const opened = useThrowawayPgDatabase();
  let app: FastifyInstance;
  let browser: Browser;
  let url: string;
  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    await seedTwoTenants(opened().db, new Date());
    app = Fastify({ logger: false });
    await app.register(dashboardPlugin, {
      context: { tenants: pgTenantDirectory(opened().db), now: () => new Date(), config: dashboardSchema.parse({}), resolveSecret, logger: silentLogger(), crmName: 'unused' },
    });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it("opens a tenant from the list, then switches to another with the picker", async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${url}/`);
    assert.equal(await page.locator('#tenants tr[data-tenant]').count(), 2);
    await page.locator('#tenants a', { hasText: 'Contoso Ltd' }).click();
    await page.waitForURL(/\?tenant=contoso$/);
    assert.equal(await page.locator(`#parked tr[data-parked="crm:${CONTOSO_PARKED}"]`).count(), 1);
    assert.equal(await page.locator('#tenant-select').inputValue(), 'contoso');
    assert.equal(await page.locator('#card-conflicts .figure').textContent(), '1');

    await page.locator('#tenant-select').selectOption('fabrikam');
    await page.locator('.tenant-picker button', { hasText: 'Show' }).click();
    await page.waitForURL(/\?tenant=fabrikam$/);
    assert.equal(await page.locator('#tenant-select').inputValue(), 'fabrikam');
    assert.equal(await page.locator(`#parked tr[data-parked="partner-center:${FABRIKAM_PARKED}"]`).count(), 1);
    assert.equal(await page.locator(`#parked tr[data-parked="crm:${CONTOSO_PARKED}"]`).count(), 0, "the other tenant's record is gone");
    assert.match((await page.locator('header .sub').textContent()) ?? '', /Dynamics 365 ⇄ Partner Center/);
    await page.close();
  });
});
