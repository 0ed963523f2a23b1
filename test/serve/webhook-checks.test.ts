/**
 * The webhook receiver's decisions one by one: which certificate URLs may be fetched, which certificates
 * may sign, the two signature header forms, event parsing, the replay and age rules, and the coalescing
 * queue that survives a restart.
 */
import assert from 'node:assert/strict';
import { openMemoryStore } from '../../core/store/index.js';
import { CertificateRefused, CertificateStore, refuseCertificate, refuseCertificateUrl } from '../../core/serve/certificates.js';
import { EventQueue } from '../../core/serve/event-queue.js';
import { ReplayGuard } from '../../core/serve/replay-guard.js';
import { readSignatureHeaders, signatureMatches } from '../../core/serve/signature.js';
import { actionFor, eventKey, judgeFreshness, parseWebhookEvent } from '../../core/serve/webhook-event.js';
import { createSigningIdentity, signBody } from '../../sandbox/partner-center/webhooks/certificate.js';
import { serveSchema } from '../../config/serve.js';

const MICROSOFT_HOST = '3psostorageacct.blob.core.windows.net';

describe('webhook receiver: certificate URLs', () => {
  it('allows only allow-listed hosts, https except on loopback, and no credentials in the URL', () => {
    assert.equal(refuseCertificateUrl(`https://${MICROSOFT_HOST}/cert/pcnotifications-dispatch.microsoft.com.cer`, [MICROSOFT_HOST]), undefined);
    assert.match(refuseCertificateUrl('https://evil.example/cert.cer', [MICROSOFT_HOST])!, /evil\.example is not allow-listed/);
    assert.match(refuseCertificateUrl(`http://${MICROSOFT_HOST}/cert.cer`, [MICROSOFT_HOST])!, /must be https/);
    assert.match(refuseCertificateUrl(`https://user:pw@${MICROSOFT_HOST}/c.cer`, [MICROSOFT_HOST])!, /credentials/);
    assert.equal(refuseCertificateUrl('http://127.0.0.1:4000/webhooks/v1/certificate', ['127.0.0.1:4000']), undefined);
    assert.match(refuseCertificateUrl('http://127.0.0.1:4001/webhooks/v1/certificate', ['127.0.0.1:4000'])!, /not allow-listed/);
    assert.match(refuseCertificateUrl('not a url', [MICROSOFT_HOST])!, /not a URL/);
  });

  it('the config allows trustSelfSigned only when every certificate host is loopback', () => {
    assert.equal(serveSchema.safeParse({ webhooks: { certificateHosts: ['127.0.0.1:4000'], trustSelfSigned: true } }).success, true);
    const refused = serveSchema.safeParse({ webhooks: { certificateHosts: [MICROSOFT_HOST], trustSelfSigned: true } });
    assert.equal(refused.success, false);
    assert.match(JSON.stringify(refused.error?.issues), /trustSelfSigned/);
    assert.deepEqual(serveSchema.parse({}).webhooks.certificateHosts, [MICROSOFT_HOST]);
  });
});

describe('webhook receiver: signing certificates', () => {
  const identity = createSigningIdentity();
  const url = 'http://127.0.0.1:4000/webhooks/v1/certificate';

  it('accepts a valid Microsoft Corporation certificate and refuses one out of its dates', () => {
    assert.equal(refuseCertificate(identity.certificate, new Date()), undefined);
    assert.match(refuseCertificate(identity.certificate, new Date(Date.now() + 400 * 86_400_000))!, /not valid now/);
  });

  it('refuses a self-signed certificate unless the config trusts self-signed ones, and caches what it fetched', async () => {
    let fetches = 0;
    const fetchBytes = async () => {
      fetches += 1;
      return Buffer.from(identity.certificatePem);
    };
    const strict = new CertificateStore({ certificateHosts: ['127.0.0.1:4000'], trustSelfSigned: false }, fetchBytes);
    await assert.rejects(strict.signingCertificate(url), (e: unknown) => e instanceof CertificateRefused && /self-signed/.test(e.message));
    const sandbox = new CertificateStore({ certificateHosts: ['127.0.0.1:4000'], trustSelfSigned: true }, fetchBytes);
    fetches = 0;
    await sandbox.signingCertificate(url);
    await sandbox.signingCertificate(url);
    assert.equal(fetches, 1, 'fetched once, then cached');
  });

  it('never fetches from a host off the allow-list', async () => {
    let fetched = false;
    const store = new CertificateStore({ certificateHosts: [MICROSOFT_HOST], trustSelfSigned: false }, async () => {
      fetched = true;
      return Buffer.from(identity.certificatePem);
    });
    await assert.rejects(store.signingCertificate(url), CertificateRefused);
    assert.equal(fetched, false);
  });
});

describe('webhook receiver: signatures', () => {
  const identity = createSigningIdentity();
  const body = Buffer.from('{"EventName":"referral-created"}', 'utf8');
  const base = { 'x-ms-certificate-url': 'https://h/c.cer', 'x-ms-signature-algorithm': 'rsa-sha256' };

  it('reads Authorization: Signature and x-ms-signature (with or without the scheme), and checks the body', () => {
    const signature = signBody(body.toString('utf8'), identity);
    for (const headers of [{ ...base, authorization: `Signature ${signature}` }, { ...base, 'x-ms-signature': `Signature ${signature}` }, { ...base, 'x-ms-signature': signature }]) {
      const delivery = readSignatureHeaders(headers);
      assert.ok(!('refused' in delivery));
      assert.equal(signatureMatches(body, delivery, identity.certificate), true);
      assert.equal(signatureMatches(Buffer.concat([body, Buffer.from(' ')]), delivery, identity.certificate), false);
    }
  });

  it('refuses missing headers and other algorithms, naming what is wrong', () => {
    assert.match((readSignatureHeaders(base) as { refused: string }).refused, /no signature/);
    assert.match((readSignatureHeaders({ authorization: 'Signature abc=' , 'x-ms-signature-algorithm': 'rsa-sha256' }) as { refused: string }).refused, /X-MS-Certificate-Url/);
    assert.match((readSignatureHeaders({ ...base, authorization: 'Signature abc=', 'x-ms-signature-algorithm': 'hmac-sha256' }) as { refused: string }).refused, /Algorithm/);
    assert.match((readSignatureHeaders({ ...base, authorization: 'Bearer abc' }) as { refused: string }).refused, /no signature/);
  });
});

describe('webhook receiver: events, replays and the queue', () => {
  const event = (name: string, at = new Date()) => Buffer.from(JSON.stringify({ EventName: name, ResourceUri: 'https://api.partnercenter.microsoft.com/engagements/v1/referrals/abc-123', ResourceName: 'referral', AuditUri: null, ResourceChangeUtcDate: at.toISOString() }));

  it('a referral event names the referral to sync; a related one asks for a poll; a test event for nothing', () => {
    const parsed = (name: string) => (parseWebhookEvent(event(name)) as { event: Parameters<typeof actionFor>[0] }).event;
    assert.deepEqual(actionFor(parsed('referral-created')), { kind: 'sync-referral', referralId: 'abc-123' });
    assert.deepEqual(actionFor(parsed('referral-updated')), { kind: 'sync-referral', referralId: 'abc-123' });
    assert.deepEqual(actionFor(parsed('related-referral-updated')), { kind: 'poll' });
    assert.deepEqual(actionFor(parsed('test-created')), { kind: 'ignore' });
    assert.match((parseWebhookEvent(Buffer.from('nope')) as { refused: string }).refused, /not JSON/);
    assert.match((parseWebhookEvent(Buffer.from('{"EventName":"x"}')) as { refused: string }).refused, /ResourceUri/);
  });

  it('takes a new event, acknowledges a retry of one taken, and refuses one older than the bound or dated in the future', () => {
    const parsed = (raw: Buffer) => (parseWebhookEvent(raw) as { event: Parameters<typeof judgeFreshness>[0] }).event;
    const now = Date.now();
    assert.deepEqual(judgeFreshness(parsed(event('referral-created')), false, now, 3_600_000), { kind: 'new' });
    assert.deepEqual(judgeFreshness(parsed(event('referral-created')), true, now, 3_600_000), { kind: 'retry' });
    const old = parsed(event('referral-created', new Date(now - 2 * 3_600_000)));
    for (const seen of [false, true]) assert.match((judgeFreshness(old, seen, now, 3_600_000) as { reason: string }).reason, /older than 60 minutes/);
    assert.match((judgeFreshness(parsed(event('referral-created', new Date(now + 3_600_000))), false, now, 3_600_000) as { reason: string }).reason, /future/);
    assert.equal(eventKey(event('referral-created', new Date(now))), eventKey(event('referral-created', new Date(now))));
  });

  it('remembers taken events in the store, across a restart', () => {
    const store = openMemoryStore();
    new ReplayGuard(store, 3_600_000).remember('k1', Date.now());
    assert.equal(new ReplayGuard(store, 3_600_000).has('k1'), true);
    assert.equal(new ReplayGuard(store, 3_600_000).has('k2'), false);
  });

  it('coalesces events for one referral, survives a restart, and keeps what a newer event touched mid-sync', () => {
    const store = openMemoryStore();
    const queue = new EventQueue(store);
    for (let i = 0; i < 5; i += 1) queue.add('r1', 1_000 + i);
    queue.add('r2', 2_000);
    assert.equal(queue.size, 2);
    const restarted = new EventQueue(store);
    assert.equal(restarted.size, 2, 'kept in the store');
    const batch = restarted.take();
    assert.deepEqual(batch.referralIds.sort(), ['r1', 'r2']);
    restarted.add('r2', 3_000); // announced again while the sync ran
    restarted.settle(batch.token, 4_000);
    assert.deepEqual(restarted.take().referralIds, ['r2']);
    restarted.coveredBy(5_000);
    assert.equal(restarted.size, 0, 'a poll started after the event covers it');
    assert.equal(new EventQueue(store).size, 0);
  });
});
