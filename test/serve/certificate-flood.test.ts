/**
 * Forged webhook deliveries are free to send, and each names its own `X-MS-Certificate-Url`: one on the
 * allow-listed host with a fresh query string is a URL never fetched before. The certificates are
 * fetched only a few new URLs a minute and one fetch per URL at a time, so a flood of forged posts does
 * not become a flood of outbound requests; the certificate already cached keeps verifying throughout.
 */
import assert from 'node:assert/strict';
import { CertificateRefused, CertificateStore, MAX_CACHED_CERTIFICATE_URLS, MAX_NEW_CERTIFICATE_URLS_PER_MINUTE } from '../../core/serve/certificates.js';
import { createSigningIdentity } from '../../sandbox/partner-center/webhooks/certificate.js';

const HOST = '127.0.0.1:4000';
const URL_OF_CERT = `http://${HOST}/webhooks/v1/certificate`;

describe('webhook receiver: a flood of forged certificate URLs', () => {
  const identity = createSigningIdentity();

  function storeAt(clock: { ms: number }) {
    const fetched: string[] = [];
    const store = new CertificateStore(
      { certificateHosts: [HOST], trustSelfSigned: true },
      async (url) => {
        fetched.push(url);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return Buffer.from(identity.certificatePem);
      },
      () => new Date(clock.ms),
    );
    return { store, fetched };
  }

  it('fetches only a few new URLs a minute, refusing the rest without a request, and keeps the cached one', async () => {
    const clock = { ms: Date.now() };
    const { store, fetched } = storeAt(clock);
    await store.signingCertificate(URL_OF_CERT);
    const flood = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => store.signingCertificate(`${URL_OF_CERT}?n=${i}`)));
    assert.ok(fetched.length <= 1 + MAX_NEW_CERTIFICATE_URLS_PER_MINUTE, `${fetched.length} outbound fetches for 200 forged posts`);
    const refused = flood.filter((r) => r.status === 'rejected');
    assert.ok(refused.length >= 200 - MAX_NEW_CERTIFICATE_URLS_PER_MINUTE);
    assert.ok(refused.every((r) => r.reason instanceof CertificateRefused && /too many new certificate URLs/.test((r.reason as Error).message)));
    await store.signingCertificate(URL_OF_CERT);
    assert.equal(fetched.filter((u) => u === URL_OF_CERT).length, 1, 'the cached certificate is not fetched again');
    clock.ms += 61 * 60_000;
    await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.signingCertificate(`${URL_OF_CERT}?again=${i}`)));
    await store.signingCertificate(URL_OF_CERT);
    assert.equal(fetched.filter((u) => u === URL_OF_CERT).length, 1, 'an hour on, out of budget, the certificate fetched before still serves');
    clock.ms += 61_000;
    await store.signingCertificate(`${URL_OF_CERT}?renewed`);
    assert.ok(fetched.includes(`${URL_OF_CERT}?renewed`), 'a minute later a new URL is fetched again');
  });

  it('keeps a bounded number of certificate URLs however long a flood goes on, and the one in use stays', async () => {
    const clock = { ms: Date.now() };
    const { store, fetched } = storeAt(clock);
    await store.signingCertificate(URL_OF_CERT);
    // Twice the bound of forged URLs, each minute's budget spent on them; Partner Center delivers every 2 hours.
    const minutes = (2 * MAX_CACHED_CERTIFICATE_URLS) / MAX_NEW_CERTIFICATE_URLS_PER_MINUTE;
    for (let minute = 0; minute < minutes; minute += 1) {
      clock.ms += 61_000;
      await Promise.all(Array.from({ length: MAX_NEW_CERTIFICATE_URLS_PER_MINUTE }, (_, i) => store.signingCertificate(`${URL_OF_CERT}?m=${minute}&i=${i}`)));
      if (minute % 120 === 0) await store.signingCertificate(URL_OF_CERT);
    }
    assert.ok(store.cachedUrls <= MAX_CACHED_CERTIFICATE_URLS, `${store.cachedUrls} certificate URLs kept`);
    const fetchesOfOurs = fetched.filter((u) => u === URL_OF_CERT).length;
    await store.signingCertificate(URL_OF_CERT);
    assert.equal(fetched.filter((u) => u === URL_OF_CERT).length, fetchesOfOurs, 'out of budget, the certificate in use still serves');
  });

  it('fetches one URL once while deliveries naming it arrive together', async () => {
    const { store, fetched } = storeAt({ ms: Date.now() });
    await Promise.all(Array.from({ length: 20 }, () => store.signingCertificate(URL_OF_CERT)));
    assert.equal(fetched.length, 1);
  });
});
