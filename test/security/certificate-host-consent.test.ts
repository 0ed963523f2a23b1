/**
 * A webhook certificate host other than Microsoft's (or loopback, the sandbox) needs the operator's consent,
 * COSELL_ALLOW_CERTIFICATE_HOSTS, not the config's say. Until 2026-12-07 the config's editor could add any
 * host to `serve > webhooks > certificateHosts`, and anyone posting to the public webhook URL then made the
 * service fetch from it (an internal service, the cloud's metadata address) and read its status in the 401.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateConfig } from '../../config/load.js';
import { ALLOW_CERTIFICATE_HOSTS_ENV, certificateHostProblems } from '../../config/certificate-host-consent.js';
import { MICROSOFT_CERTIFICATE_HOSTS } from '../../config/serve.js';
import { EXIT } from '../../core/cli/exit-codes.js';
import { ConnectorError } from '../../core/errors.js';
import { cosell } from '../helpers/cli.js';
import { salesforceTenantConfig } from '../tenants/tenant-fixtures.js';

function configWith(certificateHosts: string[], trustSelfSigned = false): string {
  return `${salesforceTenantConfig('env:SF_KEY_REF')}serve:\n  webhooks:\n    certificateHosts: ${JSON.stringify(certificateHosts)}\n    trustSelfSigned: ${trustSelfSigned}\n`;
}

/** validateConfig under `value` of COSELL_ALLOW_CERTIFICATE_HOSTS (restored after). */
function validatedWith(value: string | undefined, text: string): unknown {
  const before = process.env[ALLOW_CERTIFICATE_HOSTS_ENV];
  if (value === undefined) delete process.env[ALLOW_CERTIFICATE_HOSTS_ENV];
  else process.env[ALLOW_CERTIFICATE_HOSTS_ENV] = value;
  try {
    return validateConfig(parse(text), 'cosell.yaml');
  } finally {
    if (before === undefined) delete process.env[ALLOW_CERTIFICATE_HOSTS_ENV];
    else process.env[ALLOW_CERTIFICATE_HOSTS_ENV] = before;
  }
}

describe("webhook certificate hosts: the operator's consent", () => {
  it("refuses a host the config added, naming the key, the host and the setting that allows it", () => {
    assert.throws(
      () => validatedWith(undefined, configWith([...MICROSOFT_CERTIFICATE_HOSTS, 'certs.contoso.example', 'https://169.254.169.254'])),
      (error: unknown) =>
        error instanceof ConnectorError &&
        error.message.includes('serve > webhooks > certificateHosts > 1: certs.contoso.example is not Microsoft') &&
        error.message.includes(`set ${ALLOW_CERTIFICATE_HOSTS_ENV}=certs.contoso.example,169.254.169.254 in the environment`) &&
        error.message.includes('serve > webhooks > certificateHosts > 2 (169.254.169.254)'),
    );
  });

  it('takes the hosts the operator named exactly, host and port', () => {
    assert.ok(validatedWith('certs.contoso.example,169.254.169.254', configWith(['certs.contoso.example', 'https://169.254.169.254:443'])));
    assert.deepEqual(certificateHostProblems(['certs.contoso.example:8443'], { [ALLOW_CERTIFICATE_HOSTS_ENV]: 'certs.contoso.example' }).map((p) => p.host), ['certs.contoso.example:8443']);
  });

  it("needs nothing for Microsoft's host (the default) or the sandbox's loopback host with trustSelfSigned", () => {
    assert.ok(validatedWith(undefined, salesforceTenantConfig('env:SF_KEY_REF')));
    assert.ok(validatedWith(undefined, configWith(['http://127.0.0.1:7002', 'localhost:7003'], true)));
  });

  it('`cosell check` exits 2 naming the setting; with it set, the host is taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosell-cert-hosts-'));
    try {
      const file = join(dir, 'cosell.yaml');
      writeFileSync(file, configWith(['certs.contoso.example']), { mode: 0o600 });
      const refused = await cosell(['check', '--config', file], { env: { SF_KEY_REF: 'x', [ALLOW_CERTIFICATE_HOSTS_ENV]: '' } });
      assert.equal(refused.code, EXIT.config, refused.stdout + refused.stderr);
      assert.ok(refused.stderr.includes(`${ALLOW_CERTIFICATE_HOSTS_ENV}=certs.contoso.example`), refused.stderr);
      const allowed = await cosell(['check', '--config', file], { env: { SF_KEY_REF: 'x', [ALLOW_CERTIFICATE_HOSTS_ENV]: 'certs.contoso.example' } });
      assert.doesNotMatch(allowed.stderr, /certificateHosts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
