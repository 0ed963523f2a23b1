/**
 * The dashboard at `/` of `cosell serve` (startServe with the dashboard plugin, as `cosell serve` runs
 * it): the page answers beside `/readyz`, and its health panel shows the service's own readiness checks.
 *
 * DNS rebinding: a web page makes the browser send requests to 127.0.0.1 under the page's own host name.
 * The dashboard and `/api/status` need no sign-in (they show customers, deals and values), so on loopback
 * such a request is not answered. Until 2026-12-06 every `Host` was. Loopback names and the service's
 * public address still are; webhooks (signed) are left to their signature.
 *
 * A config edit replaces the service's runtime (config-follow.ts): the page then names the CRM of the
 * runtime in use. Until 2026-12-06 it kept naming the CRM the service started with.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigFileWatch } from '../../core/cli/config-reload.js';
import type { Runtime } from '../../core/cli/runtime.js';
import { dashboardForServe } from '../../core/dashboard/serve-plugin.js';
import { ServeConfigFollower } from '../../core/serve/config-follow.js';
import { isAnsweredHost } from '../../core/serve/host-guard.js';
import { startServe, type RunningService } from '../../core/serve/start.js';
import { startWorld, type World } from '../../sandbox/world.js';

function request(url: string, host: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the dashboard mounted in cosell serve', function () {
  this.timeout(120_000);
  let world: World;
  let running: RunningService;

  before(async () => {
    world = await startWorld('salesforce');
    const started = await startServe({ runtime: world.runtime, owner: 'dashboard-serve-test', settings: { port: 0, pollIntervalMinutes: 60, publicUrl: 'https://cosell.contoso.example' }, now: () => world.set.clock.now(), plugins: [dashboardForServe] });
    assert.ok(!('lockedBy' in started));
    running = started;
  });
  after(async () => {
    await running?.stop();
    await world?.close();
  });

  it('serves the page at / with the /readyz checks in its health panel', async () => {
    const readyz = (await (await fetch(`${running.url}/readyz`)).json()) as { checks: { name: string }[] };
    const page = await fetch(`${running.url}/`);
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /<title>Co-sell status · cosell-connector<\/title>/);
    for (const check of readyz.checks) assert.ok(body.includes(`data-check="${check.name}"`), `the health panel shows the ${check.name} check`);
    const status = (await (await fetch(`${running.url}/api/status`)).json()) as { readiness?: { checks: unknown[] } };
    assert.equal(status.readiness?.checks.length, readyz.checks.length);
  });

  it('refuses the dashboard, its JSON and the probes under another host name', async () => {
    const port = new URL(running.url).port;
    for (const path of ['/', '/api/status', '/readyz', '/metrics']) {
      for (const host of [`attacker.example:${port}`, 'attacker.example', '127.0.0.1.attacker.example', `localhost.attacker.example:${port}`]) {
        const answer = await request(`${running.url}${path}`, host);
        assert.equal(answer.status, 421, `${path} under ${host}`);
        assert.doesNotMatch(answer.body, /Wide World|pipeline|dealName/);
      }
    }
  });

  it('answers loopback names, and the public address with a sign-in to read (remote-readers.test.ts)', async () => {
    const port = new URL(running.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`]) {
      assert.equal((await request(`${running.url}/api/status`, host)).status, 200, host);
    }
    for (const host of ['cosell.contoso.example', 'COSELL.contoso.example.']) {
      assert.equal((await request(`${running.url}/api/status`, host)).status, 401, host);
    }
  });

  it('leaves webhooks to their signature check', async () => {
    const answer = await request(`${running.url}/webhooks/partner-center`, 'attacker.example', 'POST');
    assert.notEqual(answer.status, 421);
  });

  it('a service listening beyond loopback answers every name (its operator knows them)', () => {
    assert.equal(isAnsweredHost('10.0.0.7:8080', '0.0.0.0', []), true);
    assert.equal(isAnsweredHost('attacker.example', '127.0.0.1', []), false);
    assert.equal(isAnsweredHost('attacker.example', '::1', []), false);
    assert.equal(isAnsweredHost('127.0.0.1@attacker.example', '127.0.0.1', []), false);
    assert.equal(isAnsweredHost(undefined, '127.0.0.1', []), true);
    assert.equal(isAnsweredHost('localhost:80', '127.0.0.1', []), true, 'a default port written out');
    assert.equal(isAnsweredHost('localhost/x', '127.0.0.1', []), false);
    assert.equal(isAnsweredHost('localhost#x', '127.0.0.1', []), false);
  });

  // Last: it leaves the service on the edited runtime.
  it('after a config edit that changes the CRM, names the CRM of the runtime in use', async () => {
    const before = await (await fetch(`${running.url}/`)).text();
    assert.match(before, /Salesforce ⇄ Partner Center/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-dashboard-edit-'));
    try {
      const file = path.join(dir, 'cosell.config.json');
      fs.writeFileSync(file, '{"crm":"salesforce"}');
      const watch = new ConfigFileWatch(file);
      fs.writeFileSync(file, '{"crm":"dynamics"}');
      // What openRuntime gives for a file whose crm section now names Dynamics 365: another adapter, same store.
      const crm = Object.create(world.runtime.crm, {
        displayName: { value: 'Dynamics 365' },
        recordUrlTemplate: { value: 'https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=opportunity&id={crmId}' },
      }) as Runtime['crm'];
      const open = async (replacing: Runtime): Promise<Runtime> => ({ ...replacing, config: { ...replacing.config, crm: { kind: 'dynamics', dynamics: {} } as unknown as Runtime['config']['crm'] }, crm });
      const taken: string[][] = [];
      const follower = new ServeConfigFollower(running.context, watch, {}, open, { taken: (keys) => taken.push(keys), refused: (error) => assert.fail(String(error)) });
      await running.context.service.idle();
      await follower.beforeTurn();
      assert.equal(taken.length, 1);
      assert.ok(taken[0]!.includes('crm.kind'), 'the edit changed the CRM');
      const after = await (await fetch(`${running.url}/`)).text();
      assert.match(after, /Dynamics 365 ⇄ Partner Center/);
      assert.doesNotMatch(after, /Salesforce ⇄ Partner Center/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
