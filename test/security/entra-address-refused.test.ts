/**
 * An Entra ID token request the address guard refused (core/http/address-guard.ts) is reported as refused, as
 * Partner Center's and Dataverse's own calls are: the host, address and rule, not retried, the config's exit
 * code. Until 2026-12-07 msal's request (fetch, core/http/msal-network.ts) kept the refusal only as text, so
 * Dataverse read it as "Entra ID unreachable" and Partner Center's sign-in as "token unavailable", retryable outages, and the sync waited for an answer that the
 * same DNS would refuse again. `rebound.example` resolves to 127.0.0.1 here (dns.lookup stubbed), where the
 * Entra sandbox listens; its token endpoint is named by that name.
 */
import assert from 'node:assert/strict';
import { DataverseClient } from '../../connectors/dynamics/client.js';
import { parseDynamicsOptions } from '../../connectors/dynamics/config.js';
import { EXIT } from '../../core/cli/exit-codes.js';
import { exitCodeFor } from '../../core/cli/output.js';
import { ConnectorError } from '../../core/errors.js';
import { ADDRESS_REFUSED_CODE } from '../../core/http/address-guard.js';
import { silentLogger } from '../../core/logger.js';
import { noRedirectNetworkClient } from '../../core/http/msal-network.js';
import { tokenFailure } from '../../connectors/partner-center/auth/token-provider.js';
import { SANDBOX_APPS, startEntraSandbox, type EntraSandbox } from '../../sandbox/entra/index.js';
import { reboundToLoopback } from '../helpers/rebound-dns.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

describe('address guard: an Entra ID token request refused at connect time', () => {
  let undoDns = () => {};
  let entra: EntraSandbox;
  let dataverse: Recorder;
  before(async () => {
    undoDns = reboundToLoopback(/^rebound\.example$/);
    entra = await startEntraSandbox();
    dataverse = await startRecorder();
  });
  after(async () => {
    undoDns();
    await dataverse.close();
    await entra.close();
  });

  it('Dataverse reports it as refused: the host, address and rule, not retried, exit 2; the secret is not sent', async () => {
    const metadata = JSON.parse(entra.authorityMetadata) as { token_endpoint: string };
    metadata.token_endpoint = metadata.token_endpoint.replace('127.0.0.1', 'rebound.example');
    const options = parseDynamicsOptions({
      environmentUrl: 'https://contoso-sandbox.crm.dynamics.com',
      apiUrl: dataverse.url,
      tenantId: entra.tenantId,
      authority: entra.authority,
      authorityMetadata: JSON.stringify(metadata),
      clientId: SANDBOX_APPS.dataverse.clientId,
      clientSecret: 'env:UNUSED',
      retries: 0,
    });
    const client = new DataverseClient(options, { logger: silentLogger(), clientSecret: SANDBOX_APPS.dataverse.clientSecret });
    const error = await client.get('reading accounts', 'accounts').then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ConnectorError, String(error));
    assert.equal(error.code, ADDRESS_REFUSED_CODE, error.message);
    assert.match(error.message, /rebound\.example: DNS answered 127\.0\.0\.1, a loopback address/);
    assert.equal(error.retryable, false);
    assert.equal(exitCodeFor(error), EXIT.config);
    assert.ok(!error.message.includes(SANDBOX_APPS.dataverse.clientSecret));
    assert.equal(dataverse.received.length, 0);
  });

  it("Partner Center's sign-in reports it as refused too (the error msal rethrows from its network module)", async () => {
    const port = new URL(dataverse.url).port;
    const thrown = await noRedirectNetworkClient()
      .sendPostRequestAsync(`http://rebound.example:${port}/tenant/oauth2/v2.0/token`, { body: 'client_secret=never-sent' })
      .then(() => undefined, (e: unknown) => e);
    const error = tokenFailure(thrown, 'Run cosell login');
    assert.equal(error.code, ADDRESS_REFUSED_CODE, error.message);
    assert.match(error.message, /^Partner Center token request failed: Refused to connect to rebound\.example: DNS answered 127\.0\.0\.1/);
    assert.equal(error.retryable, false);
    assert.equal(exitCodeFor(error), EXIT.config);
    assert.equal(dataverse.received.length, 0);
  });
});
