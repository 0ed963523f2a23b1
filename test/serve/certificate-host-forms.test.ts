/**
 * A certificate host entry means the same host and port however it is written: `host`, `host:443`,
 * `https://host`, `https://host:443`. Until 2026-12-07 the entry's text was compared with the URL's host,
 * which leaves 443 out, so a scheme-less `host:443` (accepted by the config and by
 * COSELL_ALLOW_CERTIFICATE_HOSTS) never matched, and every delivery was refused as "not allow-listed".
 */
import assert from 'node:assert/strict';
import { allowedHostOf } from '../../config/serve.js';
import { certificateHostProblems } from '../../config/certificate-host-consent.js';
import { refuseCertificateUrl } from '../../core/serve/certificates.js';

const URL_443 = 'https://certs.contoso.example/cert/signing.cer';

describe('serve: certificate host entries, however written, name one host and port', () => {
  for (const entry of ['certs.contoso.example', 'certs.contoso.example:443', 'CERTS.contoso.example:443', 'https://certs.contoso.example', 'https://certs.contoso.example:443', ' certs.contoso.example:443 ']) {
    it(`"${entry}" allows ${URL_443} and the same URL with :443 written`, () => {
      assert.equal(refuseCertificateUrl(URL_443, [entry]), undefined);
      assert.equal(refuseCertificateUrl('https://certs.contoso.example:443/cert/signing.cer', [entry]), undefined);
    });
  }

  it('a port other than 443 must be named, and an entry with one allows that port only', () => {
    assert.match(refuseCertificateUrl('https://certs.contoso.example:8443/c.cer', ['certs.contoso.example'])!, /not allow-listed/);
    assert.equal(refuseCertificateUrl('https://certs.contoso.example:8443/c.cer', ['certs.contoso.example:8443']), undefined);
    assert.match(refuseCertificateUrl(URL_443, ['certs.contoso.example:8443'])!, /not allow-listed/);
  });

  it("an http origin's port is 80; a scheme-less loopback entry is https's 443, not http's 80", () => {
    assert.equal(allowedHostOf('http://127.0.0.1'), '127.0.0.1:80');
    assert.equal(refuseCertificateUrl('http://127.0.0.1/c.cer', ['http://127.0.0.1']), undefined);
    assert.match(refuseCertificateUrl('http://127.0.0.1/c.cer', ['127.0.0.1'])!, /not allow-listed/);
    assert.equal(refuseCertificateUrl('http://127.0.0.1:7002/c.cer', ['http://127.0.0.1:7002']), undefined);
    assert.equal(refuseCertificateUrl('http://[::1]:7002/c.cer', ['[::1]:7002']), undefined);
  });

  it('the operator\'s consent matches an entry written with :443 or as an origin', () => {
    const env = { COSELL_ALLOW_CERTIFICATE_HOSTS: 'certs.contoso.example' };
    assert.deepEqual(certificateHostProblems(['certs.contoso.example:443', 'https://certs.contoso.example'], env), []);
    assert.deepEqual(certificateHostProblems(['certs.contoso.example'], { COSELL_ALLOW_CERTIFICATE_HOSTS: 'certs.contoso.example:443' }), []);
  });
});
