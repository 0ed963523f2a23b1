/**
 * Salesforce's token answer names the instance the session goes to. When it is not where the config says
 * the org lives, the session is not sent, and the admin reads which config key decides that; the command
 * ends with the config's exit code (2), as for an endpoint the config itself names wrongly. Until
 * 2026-12-05 the message named no key and `sync` / `setup` ended with 1, as for a failure that a retry
 * might get past.
 */
import assert from 'node:assert/strict';
import { exitCodeOfRun } from '../../core/cli/locked-run.js';
import { EXIT } from '../../core/cli/exit-codes.js';
import { exitCodeFor } from '../../core/cli/output.js';
import type { RunReport } from '../../core/engine/sync-engine.js';
import { checkInstanceUrl } from '../../connectors/salesforce/instance-url.js';

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  assert.fail('the instance URL was accepted');
}

describe('Salesforce instance URL from the token answer', () => {
  it('accepts the configured instance, the login host, and an https Salesforce host', () => {
    assert.equal(checkInstanceUrl('https://na1.salesforce.com', { loginUrl: 'https://login.salesforce.com', instanceUrl: 'https://na1.salesforce.com' }), 'https://na1.salesforce.com');
    assert.equal(checkInstanceUrl('https://contoso.my.salesforce.com', { loginUrl: 'https://login.salesforce.com' }), 'https://contoso.my.salesforce.com');
    assert.equal(checkInstanceUrl('http://127.0.0.1:4000', { loginUrl: 'http://127.0.0.1:4000' }), 'http://127.0.0.1:4000');
  });

  it('another host than the configured instanceUrl: names crm > salesforce > instanceUrl and ends with exit 2', () => {
    const error = refusal(() => checkInstanceUrl('https://eu5.salesforce.com', { loginUrl: 'https://login.salesforce.com', instanceUrl: 'https://na1.salesforce.com' }));
    assert.match(error.message, /https:\/\/eu5\.salesforce\.com, the instance its token answer named/);
    assert.match(error.message, /only https:\/\/na1\.salesforce\.com \(the endpoint crm > salesforce > instanceUrl allows\)/);
    assert.equal(exitCodeFor(error), EXIT.config);
  });

  it('an http or foreign instance with no instanceUrl configured: names crm > salesforce > loginUrl', () => {
    for (const answer of ['http://na1.salesforce.com', 'https://evil.example.com']) {
      const error = refusal(() => checkInstanceUrl(answer, { loginUrl: 'https://login.salesforce.com' }));
      assert.match(error.message, /crm > salesforce > loginUrl/);
      assert.equal(exitCodeFor(error), EXIT.config);
    }
  });

  it('a sync run that failed on it ends with exit 2, not 1', () => {
    const report = { outcome: 'failed', errorCode: 'credential_origin', counts: {} } as unknown as RunReport;
    assert.equal(exitCodeOfRun(report), EXIT.config);
  });
});
