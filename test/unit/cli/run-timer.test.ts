/** `cosell run`'s interval and jitter, and the secret references every connecting command checks first. */
import assert from 'node:assert/strict';
import { nextWaitMs, parseIntervalMinutes } from '../../../core/cli/commands/run.js';
import { secretReferencesIn, verifySecretReferences } from '../../../config/secret-references.js';
import { ConfigError } from '../../../core/errors.js';

describe('cosell run --interval', () => {
  it('takes minutes, decimals allowed', () => {
    assert.equal(parseIntervalMinutes('5'), 5);
    assert.equal(parseIntervalMinutes('0.1'), 0.1);
    assert.equal(parseIntervalMinutes('.5'), 0.5);
    assert.equal(parseIntervalMinutes('1440'), 1440);
  });

  it('refuses anything that is not a positive number of minutes up to a day, naming the option', () => {
    for (const text of ['0', '0.0', '-1', 'abc', '', ' ', '5m', '1e3', 'NaN', 'Infinity', '1441', '0x10']) {
      assert.throws(() => parseIntervalMinutes(text), (error: unknown) => error instanceof ConfigError && /--interval/.test(error.message), `"${text}"`);
    }
  });

  it('waits the interval plus at most 10% jitter, capped at 30 s', () => {
    assert.equal(nextWaitMs(60_000, 0), 60_000);
    assert.equal(nextWaitMs(60_000, 0.999_999), 66_000);
    assert.equal(nextWaitMs(3_600_000, 0.999_999), 3_630_000);
    assert.equal(nextWaitMs(6_000, 0.5), 6_300);
  });
});

describe('secret references', () => {
  it('are found by shape wherever they sit, with the key that holds them', () => {
    const config = { crm: { kind: 'salesforce', salesforce: { clientId: 'abc', auth: { privateKey: 'file:/keys/sf.pem', extra: ['env:ONE', 'plain'] } } }, store: { path: '.state/x' } };
    assert.deepEqual(secretReferencesIn(config), [
      { path: 'crm > salesforce > auth > privateKey', ref: 'file:/keys/sf.pem' },
      { path: 'crm > salesforce > auth > extra > 0', ref: 'env:ONE' },
    ]);
  });

  it('a missing environment variable is a config error naming the key', async () => {
    delete process.env.COSELL_TEST_NOT_SET;
    await assert.rejects(verifySecretReferences({ crm: { dynamics: { clientSecret: 'env:COSELL_TEST_NOT_SET' } } }), (error: unknown) =>
      error instanceof ConfigError && /crm > dynamics > clientSecret: the environment variable COSELL_TEST_NOT_SET is not set/.test(error.message),
    );
  });
});

describe('engine options from the config', () => {
  it('pass the policy, hold, default location, budget and per-owner locations through to every run', async () => {
    const { validateConfig } = await import('../../../config/load.js');
    const { engineOptionsFor } = await import('../../../core/cli/runtime.js');
    const config = validateConfig({
      crm: { kind: 'dynamics', dynamics: { environmentUrl: 'https://contoso.crm.dynamics.com', tenantId: 'tenant', clientId: 'app', clientSecret: 'env:DV_SECRET' } },
      partnerCenter: { clientId: 'pc-app' },
      sync: { conflictPolicy: 'manual', holdWonHours: 24, defaultLocation: 'loc-us', partnerCenterCallBudget: 50, locationByOwner: { 'ana@contoso.example': 'loc-de' } },
    });
    const { settingsDigest, ...options } = engineOptionsFor(config);
    assert.deepEqual(options, { policy: 'manual', holdWonHours: 24, defaultLocation: 'loc-us', partnerCenterCallBudget: 50, locationByOwner: { 'ana@contoso.example': 'loc-de' } });
    // The settings' digest, for retrying parked records once they change (core/engine/settings-change.ts).
    assert.match(settingsDigest ?? '', /^[0-9a-f]{64}$/);
  });
});
