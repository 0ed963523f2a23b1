/**
 * `cosell check` and `cosell webhooks status` send the registered URL's health check through the address guard
 * (core/http/address-guard.ts), as every request of the process. A public URL whose name resolves inside the
 * network where the check runs (split-horizon DNS, a reverse proxy on a private address) is refused there, and
 * until 2026-12-07 the verdict said only "it does not answer a health check": the admin looked for a service
 * that was running. The verdict now says the check was not sent, why (host, address, rule), and what allows it.
 * `cosell.corp.example` resolves to 127.0.0.1 here (dns.lookup stubbed), where a service answers /healthz.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { judgeRegistration, registrationClientFor } from '../../core/serve/registration.js';
import { startWorld, type World } from '../../sandbox/world.js';
import { reboundToLoopback } from '../helpers/rebound-dns.js';

describe('webhook health check: a name the address guard refuses is reported as refused, not as silent', function () {
  this.timeout(120_000);
  let world: World;
  let alive: Server;
  let undoDns = () => {};
  before(async () => {
    undoDns = reboundToLoopback(/^cosell\.corp\.example$/);
    world = await startWorld('salesforce');
    alive = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 404).end());
    await new Promise<void>((resolve) => alive.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    undoDns();
    alive?.close();
    await world?.close();
  });

  it('says the health check was not sent, naming the host, the address and the setting that allows it', async () => {
    const url = `http://cosell.corp.example:${(alive.address() as AddressInfo).port}/webhooks/partner-center`;
    await registrationClientFor(world.runtime.config).register(url, false);
    const verdict = await judgeRegistration(world.runtime.config);
    assert.equal(verdict.reachable, false);
    assert.match(verdict.detail, /its health check was not sent: Refused to connect to cosell\.corp\.example: DNS answered 127\.0\.0\.1/);
    assert.match(verdict.detail, /COSELL_ALLOW_ENDPOINTS/);
    assert.doesNotMatch(verdict.detail, /does not answer/);
  });
});
