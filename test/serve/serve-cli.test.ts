/**
 * `cosell serve` as an admin runs it, through the real binary against the sandboxes: it registers its
 * URL, answers /healthz, /readyz and /metrics, refuses to start beside another holder of the lock, stops
 * cleanly on SIGTERM, and after a `kill -9` and a restart no referral is lost and none is duplicated
 * (Partner Center's retries or the backstop poll bring what the dead process missed).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { cosell, startCliWorld, waitFor, type CliChild, type CliWorld } from '../helpers/cli.js';
import { registrationClientFor } from '../../core/serve/registration.js';

/** A free TCP port on loopback (the service must come back on the same one after a restart). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe('cosell serve (the real binary, Salesforce sandbox)', function () {
  this.timeout(180_000);
  let world: CliWorld;
  let port: number;
  let base: string;
  let serve: CliChild | undefined;

  const start = () => {
    const child = world.startCli(['serve', '--port', String(port), '--poll-interval', '60', '--public-url', base, '--register']);
    serve = child;
    return child;
  };
  const ready = async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200;

  before(async () => {
    world = await startCliWorld('salesforce');
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGTERM');
      await serve.done;
    }
    serve = undefined;
  });
  after(async () => world?.close());

  it('registers its URL, answers /healthz, /readyz and /metrics, and exits 0 on SIGTERM releasing the lock', async () => {
    const child = start();
    await waitFor(ready, 60_000, '/readyz to answer 200');
    await waitFor(() => /Registered http:\/\/127\.0\.0\.1:\d+\/webhooks\/partner-center/.test(child.output().stdout), 30_000, 'the registration');
    assert.match(child.output().stdout, new RegExp(`Listening on ${base}: the dashboard at /, webhooks at /webhooks/partner-center`));
    const registration = await registrationClientFor(world.runtime.config).get();
    assert.equal(registration?.webhookUrl, `${base}/webhooks/partner-center`);

    const health = await (await fetch(`${base}/healthz`)).json() as { status: string; store: string };
    assert.equal(health.status, 'ok');
    assert.match(health.store, /state store open/);
    const readiness = await (await fetch(`${base}/readyz`)).json() as { ready: boolean; checks: { name: string; ok: boolean }[] };
    assert.equal(readiness.ready, true);
    assert.deepEqual(readiness.checks.map((c) => c.name), ['store', 'partner-center-sign-in', 'crm', 'last-run', 'lag']);

    const sent = world.microsoft.sendReferral({ deal: { dealName: 'Metrics deal' } });
    assert.ok(sent.ok);
    await waitFor(async () => (await world.seller.recordsForReferral(sent.value.id)).length === 1, 60_000, 'the referral in the CRM');
    // The record is in the CRM a moment before the targeted run that wrote it is counted.
    let text = '';
    await waitFor(async () => /cosell_runs_total\{tenant="default",kind="targeted",outcome="ok"\} [1-9]/.test((text = await (await fetch(`${base}/metrics`)).text())), 30_000, 'the targeted run counted');
    assert.match((await fetch(`${base}/metrics`)).headers.get('content-type') ?? '', /text\/plain/);
    for (const line of [
      /cosell_runs_total\{tenant="default",kind="poll",outcome="ok"\} [1-9]/,
      /cosell_runs_total\{tenant="default",kind="targeted",outcome="ok"\} [1-9]/,
      /cosell_run_duration_seconds_count\{tenant="default",kind="targeted"\} [1-9]/,
      /cosell_records_written_total\{tenant="default",side="crm"\} [1-9]/,
      /cosell_webhook_events_total\{tenant="default",result="verified",reason=""\} [1-9]/,
      /cosell_inbound_lag_seconds_count\{tenant="default"\} [1-9]/,
      /cosell_api_calls_total\{tenant="default",service="partner-center"\} [1-9]/,
      /cosell_parked_records\{tenant="default"\} \d/,
      /cosell_open_conflicts\{tenant="default"\} \d/,
      /cosell_throttle_waits\{tenant="default",service="partner-center"\} 0/,
      /cosell_api_budget_remaining\{tenant="default",service="salesforce"\} \d+/,
    ]) assert.match(text, line);

    // `cosell check` and `cosell webhooks status` with the public URL in the config: the registration is ours and answers.
    const withPublicUrl = world.configVariant('public-url', (c) => ({ ...c, serve: { ...c.serve, publicUrl: base } }));
    const check = await cosell(['-c', withPublicUrl, 'check', '--json']);
    const item = (JSON.parse(check.stdout) as { items: { name: string; ok: boolean; detail: string }[] }).items.find((i) => i.name === 'Partner Center webhooks');
    assert.equal(item?.ok, true, item?.detail);
    assert.match(item!.detail, /is ours; it answers/);
    const status = await cosell(['-c', withPublicUrl, 'webhooks', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /is ours; it answers/);

    child.child.kill('SIGTERM');
    const result = await child.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Stopped\.\s*$/);
    assert.equal(world.runtime.store.lockHolder(), undefined, 'the lock is free after the stop');
  });

  it('webhooks register says when it replaces another registration; unregister removes it', async () => {
    await registrationClientFor(world.runtime.config).register('https://connector.example.com/microsoft-flow', false);
    // `--public-url`, as `cosell serve` names it and the missing-URL message asks for.
    const register = await world.cli(['webhooks', 'register', '--public-url', base]);
    assert.equal(register.code, 0, register.stderr);
    assert.match(register.stdout, /Replaced the registration for https:\/\/connector\.example\.com\/microsoft-flow/);
    assert.match(register.stdout, /Registered http:\/\/127\.0\.0\.1:\d+\/webhooks\/partner-center for referral-created, referral-updated, related-referral-created, related-referral-updated/);
    const other = world.configVariant('elsewhere', (c) => ({ ...c, serve: { ...c.serve, publicUrl: 'https://other.example.com' } }));
    const status = await cosell(['-c', other, 'webhooks', 'status']);
    assert.match(status.stdout, /is not ours \(ours would be https:\/\/other\.example\.com\/webhooks\/partner-center/);
    const unregister = await world.cli(['webhooks', 'unregister']);
    assert.equal(unregister.code, 0, unregister.stderr);
    assert.equal(await registrationClientFor(world.runtime.config).get(), undefined);
    assert.match((await world.cli(['webhooks', 'status'])).stdout, /no webhook registration/);
  });

  it('check fails the webhooks line for a registration that does not answer, with or without a public URL in the config', async () => {
    const dead = 'http://127.0.0.1:9';
    assert.equal((await world.cli(['webhooks', 'register', '--url', dead])).code, 0);
    try {
      const withPublicUrl = world.configVariant('dead-public-url', (c) => ({ ...c, serve: { ...c.serve, publicUrl: dead } }));
      for (const args of [['check', '--json'], ['-c', withPublicUrl, 'check', '--json']]) {
        const check = args[0] === '-c' ? await cosell(args) : await world.cli(args);
        const item = (JSON.parse(check.stdout) as { items: { name: string; ok: boolean; detail: string }[] }).items.find((i) => i.name === 'Partner Center webhooks');
        assert.equal(item?.ok, false, `${args.join(' ')}: ${item?.detail}`);
        assert.match(item!.detail, /does not answer a health check: the events Partner Center sends there are lost .*cosell webhooks unregister/);
        assert.equal(check.code, 5, 'not ready');
      }
    } finally {
      await world.cli(['webhooks', 'unregister']);
    }
  });

  it('refuses to start while another process holds the lock (exit 6)', async () => {
    assert.equal(world.runtime.store.acquireLock('manual@test', Date.now(), 60_000, { pid: process.pid, host: hostname() }), true);
    try {
      const result = await world.cli(['serve', '--port', '0']);
      assert.equal(result.code, 6, result.stderr);
      assert.match(result.stderr, /manual@test/);
    } finally {
      world.runtime.store.releaseLock('manual@test');
    }
  });

  it('after kill -9 and a restart, referrals sent before and during the outage arrive once each', async () => {
    let child = start();
    await waitFor(ready, 60_000, '/readyz to answer 200');
    await waitFor(() => /Registered/.test(child.output().stdout), 30_000, 'the registration');
    // One referral announced just before the kill (its targeted sync may or may not have run) …
    const before = world.microsoft.sendReferral({ deal: { dealName: 'Sent before the kill' } });
    assert.ok(before.ok);
    child.child.kill('SIGKILL');
    await child.done;
    // … and one while the service is down: Partner Center's deliveries fail and are retried.
    const during = world.microsoft.sendReferral({ deal: { dealName: 'Sent during the outage' } });
    assert.ok(during.ok);
    child = start();
    await waitFor(async () => (await world.seller.recordsForReferral(during.value.id)).length > 0 && (await world.seller.recordsForReferral(before.value.id)).length > 0, 90_000, 'both referrals in the CRM');
    await waitFor(ready, 60_000, '/readyz after the restart');
    await world.set.partnerCenter.webhooks.idle();
    // Everything Partner Center delivers late is handled by now; nothing was created twice.
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, 30_000, 'ready');
    assert.equal((await world.seller.recordsForReferral(before.value.id)).length, 1);
    assert.equal((await world.seller.recordsForReferral(during.value.id)).length, 1);
    child.child.kill('SIGTERM');
    assert.equal((await child.done).code, 0);
  });
});
