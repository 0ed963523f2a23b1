/**
 * Webhooks (partner-center-api.md §1.14): registration (one URL per event, overwritten), signed delivery
 * verified with node:crypto against the certificate at X-MS-Certificate-Url, retries up to 10 attempts,
 * then the offline queue.
 */
import assert from 'node:assert/strict';
import { createVerify, X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OUR_PARTNER_ORG } from '../../sandbox/partner-center/index.js';
import { startPcTestEnv, type PcTestEnv } from '../helpers/partner-center-sandbox.js';
import { signalsFollowing } from '../helpers/signal-followers.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function receiver(failFirst: number): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls += 1;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(calls <= failFirst ? 500 : 200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('Partner Center sandbox: webhooks', () => {
  let env: PcTestEnv;
  beforeEach(async () => {
    env = await startPcTestEnv({ seed: 'none' });
  });
  afterEach(async () => env?.close());

  const register = (method: 'POST' | 'PUT', url: string, events = ['referral-created', 'referral-updated']) =>
    env.call('admin', method, '/webhooks/v1/registration', { body: { WebhookUrl: url, WebhookEvents: events } });

  it('registers, lists supported events, and delivers a signed referral-created event that verifies', async () => {
    const hook = await receiver(0);
    try {
      const events = await env.call<string[]>('admin', 'GET', '/webhooks/v1/registration/events');
      assert.deepEqual(events.body, ['referral-created', 'referral-updated', 'related-referral-created', 'related-referral-updated']);
      const registered = await register('POST', hook.url);
      assert.equal(registered.status, 200);
      assert.ok(registered.body.SubscriberId);
      const inbound = env.pc.actAs('msft').sendReferral();
      assert.ok(inbound.ok);
      await env.pc.webhooks.idle();
      assert.equal(hook.received.length, 1);
      const [delivery] = hook.received as [Received];
      const event = JSON.parse(delivery.body) as Record<string, string>;
      assert.equal(event.EventName, 'referral-created');
      assert.equal(event.ResourceName, 'referral');
      assert.ok(event.ResourceUri!.endsWith(`/engagements/v1/referrals/${inbound.value.id}`));
      assert.ok(!Number.isNaN(Date.parse(event.ResourceChangeUtcDate!)));
      assert.ok('AuditUri' in event);

      // The receiver's checks of §1.14: headers present, certificate from the URL, organisation, signature.
      assert.equal(delivery.headers['x-ms-signature-algorithm'], 'rsa-sha256');
      const signature = /^Signature (.+)$/.exec(String(delivery.headers.authorization))?.[1];
      assert.ok(signature);
      const certificate = new X509Certificate(await (await fetch(String(delivery.headers['x-ms-certificate-url']))).text());
      assert.match(certificate.subject, /O=Microsoft Corporation/);
      assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
      assert.equal(createVerify('sha256').update(Buffer.from(delivery.body, 'utf8')).verify(certificate.publicKey, signature, 'base64'), true);
      assert.equal(createVerify('sha256').update(delivery.body + ' ').verify(certificate.publicKey, signature, 'base64'), false, 'a tampered body fails');

      // The ResourceUri is readable with our token (the thin payload says: fetch the referral).
      const fetched = await env.call('admin', 'GET', event.ResourceUri!);
      assert.equal(fetched.body.id, inbound.value.id);
    } finally {
      await hook.close();
    }
  });

  // A sandbox left running under `cosell serve` delivers an event per change: it keeps the latest attempts
  // only, and its own long-lived signal gains nothing per delivery (AbortSignal.any did on Node 20: core/run-stop.ts).
  it('keeps only the latest attempts, and leaves nothing on its own signal per delivery', async () => {
    await env.close();
    env = await startPcTestEnv({ seed: 'none', webhooks: { retryBaseMs: 2, retryMaxMs: 10, timeoutMs: 2_000, keptAttempts: 3 } });
    const hook = await receiver(2);
    try {
      await register('POST', hook.url);
      for (let i = 0; i < 3; i += 1) env.pc.actAs('msft').sendReferral();
      await env.pc.webhooks.idle();
      assert.equal(hook.received.length, 5, 'two failures, then three deliveries');
      assert.deepEqual(env.pc.webhooks.attempts.map((a) => a.status), [200, 200, 200], 'the three latest of five');
      const own = (env.pc.webhooks as unknown as { abort: AbortController }).abort.signal;
      assert.equal(signalsFollowing(own), 0);
    } finally {
      await hook.close();
    }
  });

  it('retries a failing receiver with back-off and delivers on a later attempt', async () => {
    const hook = await receiver(3);
    try {
      await register('POST', hook.url);
      env.pc.actAs('msft').sendReferral();
      await env.pc.webhooks.idle();
      assert.equal(hook.received.length, 4);
      assert.deepEqual(env.pc.webhooks.attempts.map((a) => a.status), [500, 500, 500, 200]);
      assert.equal(env.pc.webhooks.offline.length, 0);
      assert.equal(new Set(hook.received.map((r) => r.body)).size, 1, 'the same event each time');
    } finally {
      await hook.close();
    }
  });

  it('gives up after 10 attempts and moves the event to the offline queue, visible through a control', async () => {
    const hook = await receiver(Infinity);
    try {
      await register('POST', hook.url, ['referral-created']);
      env.pc.actAs('msft').sendReferral();
      await env.pc.webhooks.idle();
      assert.equal(hook.received.length, 10);
      const offline = await env.call<{ value: { org: string; attempts: number; event: { EventName: string } }[] }>(null, 'GET', '/_sandbox/partner-center/webhooks/offline');
      assert.equal(offline.body.value.length, 1);
      assert.deepEqual([offline.body.value[0]!.org, offline.body.value[0]!.attempts, offline.body.value[0]!.event.EventName], [OUR_PARTNER_ORG, 10, 'referral-created']);
    } finally {
      await hook.close();
    }
  });

  it('keeps one URL per event: PUT overwrites the registration, GET shows it; unknown events are refused', async () => {
    const first = await receiver(0);
    const second = await receiver(0);
    try {
      await register('POST', first.url);
      const put = await register('PUT', second.url, ['referral-updated']);
      assert.equal(put.status, 200);
      const shown = await env.call('admin', 'GET', '/webhooks/v1/registration');
      assert.deepEqual([shown.body.WebhookUrl, shown.body.WebhookEvents], [second.url, ['referral-updated']]);
      const sent = env.pc.actAs('msft').sendReferral();
      assert.ok(sent.ok);
      env.pc.actAs(OUR_PARTNER_ORG).respond(sent.value.id, 'accept');
      await env.pc.webhooks.idle();
      assert.equal(first.received.length, 0);
      assert.deepEqual(second.received.map((r) => (JSON.parse(r.body) as { EventName: string }).EventName), ['referral-updated']);
      const bad = await register('POST', second.url, ['referral-deleted']);
      assert.equal(bad.status, 400);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
