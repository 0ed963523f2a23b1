/**
 * Issue 16, "Done when": the dashboard in a real browser (playwright-core driving Debian's Chromium)
 * against a sandbox world: each panel shows what the state holds, an admin signs in through Entra ID
 * (auth code + PKCE against the Entra sandbox), settles a conflict and retries a parked record through the
 * page, and the next sync carries the settled value to both sides. Screenshots of the main views are
 * saved under docs/screenshots/ for the README when COSELL_UPDATE_SCREENSHOTS=1.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SANDBOX_USERS } from '../../sandbox/entra/seed.js';
import { referralOf } from '../e2e/lifecycle.suite.js';
import { startDashboardWorld, type DashboardWorld } from './dashboard-world.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The README's screenshots are rewritten only when asked (COSELL_UPDATE_SCREENSHOTS=1): a test run must not
// change tracked files. Otherwise they go to a temporary folder, still taken (a page that cannot render fails).
const SHOTS = process.env.COSELL_UPDATE_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : mkdtempSync(join(tmpdir(), 'cosell-shots-'));
const shot = (name: string) => join(SHOTS, `${name}.png`);

describe('the dashboard in a real browser (Salesforce sandbox world)', function () {
  this.timeout(240_000);
  let dash: DashboardWorld;
  let browser: Browser;
  let page: Page;

  before(async function () {
    assert.ok(existsSync(CHROMIUM), `Chromium is needed at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`);
    dash = await startDashboardWorld();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await dash?.close();
  });

  it('shows the pipeline by stage, the parked record with its reason, the open conflict and the inbound referral with its time left', async () => {
    await page.goto(dash.url);
    assert.equal(await page.title(), 'Co-sell status · cosell-connector');
    const developed = page.locator('#pipeline tr[data-stage="Developed"] td');
    assert.equal(await developed.nth(1).textContent(), '40');
    assert.ok(Number(await developed.nth(2).textContent()) >= 1, 'the Developed stage counts the deal moved there');
    assert.equal(await page.locator('#pipeline svg title').first().textContent(), 'Pipeline by sales stage');

    const parked = page.locator(`#parked tr[data-parked="crm:${dash.ids.parkedCrmId}"]`);
    assert.match((await parked.textContent()) ?? '', /No solution \(invalid\)/);
    assert.match((await parked.textContent()) ?? '', /solution/i, 'the parked record shows its field and rule');

    const conflict = page.locator('#conflicts article[data-conflict]');
    assert.equal(await conflict.count(), 1);
    assert.match((await conflict.textContent()) ?? '', /Contoso migration/);
    assert.equal(await conflict.locator('button').count(), 0, 'no action buttons before signing in');

    const inbound = page.locator(`#inbound tr[data-referral="${dash.ids.inboundReferralId}"]`);
    assert.match((await inbound.textContent()) ?? '', /Fourth Coffee/);
    assert.match((await inbound.locator('.time-left-text').textContent()) ?? '', /^1[01] days/);
    assert.match((await page.locator('#health').textContent()) ?? '', /ready/);
    await page.screenshot({ path: shot('dashboard-overview'), fullPage: true });
  });

  it('a seller who signs in is not an admin: no session, still read-only', async () => {
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.waitForURL(/oauth2\/v2\.0\/authorize/);
    await page.fill('#username', SANDBOX_USERS.seller.username);
    await page.fill('#password', SANDBOX_USERS.seller.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Not an admin');
    assert.match((await page.textContent('main')) ?? '', /signed in as sam@contoso-partner\.example, who is neither/i);
    await page.goto(dash.url);
    assert.equal(await page.locator('form input[name=csrf]').count(), 0);
  });

  it('an admin signs in through Entra ID (auth code + PKCE) and sees the actions', async () => {
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.waitForURL(/oauth2\/v2\.0\/authorize/);
    const authorizeUrl = new URL(page.url());
    assert.equal(authorizeUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.ok((authorizeUrl.searchParams.get('code_challenge') ?? '').length >= 43);
    await page.fill('#username', SANDBOX_USERS.admin.username);
    await page.fill('#password', SANDBOX_USERS.admin.password);
    await page.click('button[type=submit]');
    await page.waitForURL(dash.url);
    assert.match((await page.locator('header .who').textContent()) ?? '', /Signed in as Avery Admin/);
    assert.equal(await page.locator('#conflicts article[data-conflict] button').count(), 2);
    await page.locator('#conflicts').screenshot({ path: shot('dashboard-conflicts') });
  });

  it('resolving the conflict in the page changes both sides after the next sync', async () => {
    const { world, ids } = dash;
    const [open] = world.runtime.store.listConflicts();
    assert.ok(open);
    await page.locator(`#conflicts article[data-conflict="${open.id}"]`).getByRole('button', { name: 'Take Partner Center' }).click();
    await page.waitForSelector('.flash.ok');
    assert.match((await page.locator('.flash').textContent()) ?? '', /settled for Partner Center/);
    assert.equal(await page.locator('#conflicts article[data-conflict]').count(), 0);
    assert.equal(world.runtime.store.getConflict(open.id)?.resolution, 'partner-center');

    const reports = await world.syncToQuiet();
    assert.ok(reports.some((r) => r.writes > 0), 'the next sync writes the settled value');
    const [deal] = await world.runtime.crm.getDeals([ids.conflictCrmId]);
    assert.equal(deal!.referral.helpType, 'quotes-licensing', 'the CRM now holds Partner Center\'s value');
    assert.equal(referralOf(world, open.referralId).inviteContext?.assistanceRequestCode, 'QuotesOrLicensing', 'Partner Center keeps it');
    assert.equal((await world.seller.read(ids.conflictCrmId)).syncState, 'synced', 'the CRM record no longer says conflict');
  });

  it('"Retry now" on a parked record makes the next sync try it again, and asks for that sync at once', async () => {
    const { world, ids } = dash;
    await page.reload();
    const before = world.runtime.store.getParked('crm', ids.parkedCrmId);
    assert.ok(before);
    const requested = dash.syncRequests.count;
    await page.locator(`#parked tr[data-parked="crm:${ids.parkedCrmId}"]`).getByRole('button', { name: 'Retry now' }).click();
    await page.waitForSelector('.flash.ok');
    assert.equal(dash.syncRequests.count, requested + 1, 'the action asks the serving sync to run at once');
    assert.match((await page.locator('.flash.ok').textContent()) ?? '', /is being tried again now/);
    const due = world.runtime.store.getParked('crm', ids.parkedCrmId);
    assert.ok(due?.retryAt && Date.parse(due.retryAt) <= world.set.clock.nowMs(), 'the park is due now');
    const report = await world.sync();
    assert.ok((report.counts.retried ?? 0) >= 1, 'the sync retried it');
    const after = world.runtime.store.getParked('crm', ids.parkedCrmId);
    assert.equal(after?.attempts, before.attempts + 1, 'still invalid, so parked again after one more attempt');
  });

  it('refuses an action without the session\'s CSRF token', async () => {
    const realToken = await page.locator('#parked form input[name=csrf]').first().inputValue();
    assert.ok(realToken.length >= 43, 'the page carries the session\'s token');
    const status = await page.evaluate(async (url) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=forged' })).status, `${dash.url}parked/crm/${dash.ids.parkedCrmId}/retry`);
    assert.equal(status, 403);
  });

  it('works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.ok(overflow <= 1, `the page fits a phone's width (overflows by ${overflow}px)`);
    await page.screenshot({ path: shot('dashboard-phone'), fullPage: false });
  });
});
