/**
 * A Salesforce call the address guard refused (core/http/address-guard.ts) reports as Partner Center's and
 * Dataverse's do: `address_refused`, not retried, the config's exit code (2), the host, address and rule. Until
 * 2026-12-07 it read as an unknown Salesforce failure ("salesforce_error: UNKNOWN"), the generic exit code.
 * `rebound.example` resolves to 127.0.0.1 here (dns.lookup stubbed), where a recorder listens.
 */
import assert from 'node:assert/strict';
import { SalesforceClient } from '../../connectors/salesforce/client.js';
import { salesforceOptionsSchema } from '../../connectors/salesforce/config.js';
import { EXIT } from '../../core/cli/exit-codes.js';
import { exitCodeFor } from '../../core/cli/output.js';
import { ConnectorError } from '../../core/errors.js';
import { ADDRESS_REFUSED_CODE } from '../../core/http/address-guard.js';
import { reboundToLoopback } from '../helpers/rebound-dns.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

describe('address guard: a Salesforce call refused at connect time', () => {
  let undoDns = () => {};
  let recorder: Recorder;
  before(async () => {
    undoDns = reboundToLoopback(/^rebound\.example$/);
    recorder = await startRecorder();
  });
  after(async () => {
    undoDns();
    await recorder.close();
  });

  it('reports address_refused: not retried, exit 2, the host, address and rule; nothing is sent', async () => {
    const options = salesforceOptionsSchema.parse({ loginUrl: `http://rebound.example:${new URL(recorder.url).port}`, clientId: 'consumer-key', auth: { kind: 'client_credentials', clientSecret: 'env:UNUSED' } });
    const client = new SalesforceClient(options, { resolveSecret: async () => 'sandbox-never-sent' });
    const error = await client.query('SELECT Id FROM Opportunity').then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ConnectorError, String(error));
    assert.equal(error.code, ADDRESS_REFUSED_CODE, error.message);
    assert.match(error.message, /^Salesforce call during .* failed: .*Refused to connect to rebound\.example: DNS answered 127\.0\.0\.1, a loopback address/);
    assert.equal(error.retryable, false);
    assert.equal(exitCodeFor(error), EXIT.config);
    assert.ok(!error.message.includes('sandbox-never-sent'));
    assert.equal(recorder.received.length, 0, recorder.heard());
  });
});
