/**
 * `cosell webhooks status` as an admin's script or a monitoring check reads it, through the real binary
 * against the sandboxes: a registration whose URL does not answer is reported as not working, with exit 5
 * (as `cosell check` reports the same registration); one that answers exits 0. And `cosell check` reports
 * a registration as it is (which events, which URL, answering or not), never "polling only" while
 * Partner Center sends its events somewhere.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registrationClientFor } from '../../core/serve/registration.js';
import { cosell, startCliWorld, type CliWorld } from '../helpers/cli.js';

/** Nothing listens on the discard port of loopback: every request to it is refused. */
const DEAD = 'http://127.0.0.1:9/webhooks/partner-center';

describe('cosell webhooks status (the real binary, Salesforce sandbox)', function () {
  this.timeout(180_000);
  let world: CliWorld;
  /** A service that answers its health check, as `cosell serve` does. */
  let alive: Server;
  let aliveUrl: string;
  const register = (url: string) => registrationClientFor(world.runtime.config).register(url, false);

  before(async () => {
    world = await startCliWorld('salesforce');
    alive = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
    await new Promise<void>((resolve) => alive.listen(0, '127.0.0.1', resolve));
    aliveUrl = `http://127.0.0.1:${(alive.address() as AddressInfo).port}/webhooks/partner-center`;
  });
  afterEach(async () => {
    await registrationClientFor(world.runtime.config).unregister();
  });
  after(async () => {
    alive?.close();
    await world?.close();
  });

  it('exits 5 and says what is wrong when the registered URL does not answer', async () => {
    await register(DEAD);
    const status = await world.cli(['webhooks', 'status']);
    assert.equal(status.code, 5, status.stdout + status.stderr);
    assert.match(status.stdout, /127\.0\.0\.1:9\/webhooks\/partner-center.*it does not answer a health check/);
    assert.match(status.stdout, /^Not ready: the events Partner Center sends there are lost \(the poll still syncs\)\. Start `cosell serve` at that address, or run `cosell webhooks unregister` to poll only\.$/m);
  });

  it('says the same as JSON, with ready false, and exits 5', async () => {
    await register(DEAD);
    const status = await world.cli(['webhooks', 'status', '--json']);
    assert.equal(status.code, 5, status.stdout + status.stderr);
    const json = JSON.parse(status.stdout) as { ready: boolean; reachable: boolean; problem?: string; registration: { webhookUrl: string } };
    assert.equal(json.ready, false);
    assert.equal(json.reachable, false);
    assert.equal(json.registration.webhookUrl, DEAD);
    assert.match(json.problem ?? '', /events Partner Center sends there are lost/);
  });

  it('exits 0 when the registered URL answers', async () => {
    await register(aliveUrl);
    const status = await world.cli(['webhooks', 'status']);
    assert.equal(status.code, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /it answers/);
    assert.doesNotMatch(status.stdout, /Not ready/);
  });

  it('exits 5 when serve > publicUrl is set and Partner Center sends its events to another URL', async () => {
    await register(aliveUrl);
    const other = world.configVariant('other-public-url', (c) => ({ ...c, serve: { ...c.serve, publicUrl: 'https://cosell.example.com' } }));
    const result = await cosell(['-c', other, 'webhooks', 'status']);
    assert.equal(result.code, 5, result.stdout + result.stderr);
    assert.match(result.stdout, /is not ours \(ours would be https:\/\/cosell\.example\.com\/webhooks\/partner-center/);
    assert.match(result.stdout, /^Not ready: run `cosell webhooks register`/m);
  });

  it('cosell check reports a registration that answers truthfully (events, URL, answering), not "polling only", without serve > publicUrl', async () => {
    await register(aliveUrl);
    for (const args of [['check', '--json'], ['check']]) {
      const check = await world.cli(args);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      const line = args.includes('--json')
        ? (JSON.parse(check.stdout) as { items: { name: string; ok: boolean; detail: string }[] }).items.find((i) => i.name === 'Partner Center webhooks')?.detail ?? ''
        : check.stdout.split('\n').find((l) => /Partner Center webhooks/.test(l)) ?? '';
      assert.match(line, new RegExp(`Partner Center sends referral-created, referral-updated, related-referral-created, related-referral-updated to ${aliveUrl.replace(/[.]/g, '\\.')}, which may be this connector's or another's \\(serve > publicUrl is not set to compare with\\); it answers`), `${args.join(' ')}: ${line}`);
      assert.doesNotMatch(line, /polling only/, args.join(' '));
    }
    // With no registration at all, polling only is the truth.
    await registrationClientFor(world.runtime.config).unregister();
    const check = await world.cli(['check', '--json']);
    const item = (JSON.parse(check.stdout) as { items: { name: string; ok: boolean; detail: string }[] }).items.find((i) => i.name === 'Partner Center webhooks');
    assert.equal(item?.ok, true);
    assert.match(item!.detail, /no webhook registration: Partner Center sends no events .*polling only/);
  });

  it('cosell check warns about serve > trustProxy: true (any client could forge its address), not about a listed proxy', async () => {
    const item = async (trustProxy: boolean | string[]) => {
      const file = world.configVariant(`trust-proxy-${String(trustProxy)}`, (c) => ({ ...c, serve: { ...c.serve, trustProxy } }));
      const check = await cosell(['-c', file, 'check', '--json']);
      return (JSON.parse(check.stdout) as { items: { name: string; ok: boolean; detail: string }[] }).items.find((i) => i.name === 'Forwarded client addresses');
    };
    assert.match((await item(true))?.detail ?? '', /^WARNING: serve > trustProxy trusts X-Forwarded-For from every address/);
    assert.match((await item(['127.0.0.1']))?.detail ?? '', /^X-Forwarded-For is taken only from 127\.0\.0\.1$/);
  });

  it('webhooks status names the events and the URL', async () => {
    await register(aliveUrl);
    const status = await world.cli(['webhooks', 'status']);
    assert.match(status.stdout, new RegExp(`^Partner Center sends referral-created, referral-updated, related-referral-created, related-referral-updated to ${aliveUrl.replace(/[.]/g, '\\.')}, which`, 'm'));
  });
});
