/**
 * A misspelt key anywhere in the config is refused with its path, never ignored: under `crm > salesforce`
 * an ignored `loginUrll` left the default (production) login host in force, and under `partnerCenter` an
 * ignored key left its default too, with no word to the admin.
 */
import assert from 'node:assert/strict';
import { ConfigFileError, validateConfig } from '../../../config/load.js';

const base = () => ({
  crm: { kind: 'salesforce', salesforce: { loginUrl: 'https://test.salesforce.com', clientId: 'consumer-key', auth: { kind: 'jwt', username: 'integration@example.com', privateKey: 'env:SF_KEY' } } },
  partnerCenter: { clientId: '0c05e11c-0000-4000-8000-00000000c11e' },
});

function problems(config: unknown): string {
  try {
    validateConfig(config, 'cosell.config.yaml');
  } catch (error) {
    if (error instanceof ConfigFileError) return error.message;
    throw error;
  }
  assert.fail('the config was accepted');
}

describe('misspelt config keys', () => {
  it('accepts the well-spelt config', () => {
    assert.doesNotThrow(() => validateConfig(base(), 'cosell.config.yaml'));
  });

  const cases: [string, (c: ReturnType<typeof base>) => void, RegExp][] = [
    ['crm > salesforce', (c) => Object.assign(c.crm.salesforce, { loginUrll: 'https://test.salesforce.com' }), /crm > salesforce > loginUrll: Unrecognized key/],
    ['crm > salesforce > auth', (c) => Object.assign(c.crm.salesforce.auth, { usernme: 'x@example.com' }), /crm > salesforce > auth > usernme: Unrecognized key/],
    ['crm > salesforce > optInRules', (c) => Object.assign(c.crm.salesforce, { optInRules: { requireSolutions: true } }), /crm > salesforce > optInRules > requireSolutions: Unrecognized key/],
    ['crm > salesforce > fieldOverrides', (c) => Object.assign(c.crm.salesforce, { fieldOverrides: { note: 'Notes__c' } }), /crm > salesforce > fieldOverrides > note: is not a field path the connector knows; use one of: dealName, value, .*notes/],
    ['partnerCenter', (c) => Object.assign(c.partnerCenter, { tokenCachePth: '/tmp/x' }), /partnerCenter > tokenCachePth: Unrecognized key/],
    ['partnerCenter > retry', (c) => Object.assign(c.partnerCenter, { retry: { retrys: 2 } }), /partnerCenter > retry > retrys: Unrecognized key/],
  ];
  for (const [where, edit, expected] of cases) {
    it(`refuses an unknown key under ${where}, naming it`, () => {
      const config = base();
      edit(config);
      assert.match(problems(config), expected);
    });
  }

  it('refuses an unknown key under crm > dynamics, naming it', () => {
    const config = { ...base(), crm: { kind: 'dynamics', dynamics: { environmentUrl: 'https://contoso.crm.dynamics.com', tenantId: 't', clientId: 'c', clientSecret: 'env:D365', pagesize: 10 } } };
    assert.match(problems(config), /crm > dynamics > pagesize: Unrecognized key/);
  });

  it('refuses a field override under crm > dynamics naming no field path, and accepts a known one', () => {
    const dynamics = (fieldOverrides: unknown) => ({ ...base(), crm: { kind: 'dynamics', dynamics: { environmentUrl: 'https://contoso.crm.dynamics.com', tenantId: 't', clientId: 'c', clientSecret: 'env:D365', fieldOverrides } } });
    assert.match(problems(dynamics({ 'customer.dunsnumber': { column: 'new_duns' } })), /crm > dynamics > fieldOverrides > customer\.dunsnumber: is not a field path the connector knows; use one of: .*customer\.duns/);
    assert.doesNotThrow(() => validateConfig(dynamics({ 'customer.duns': { column: 'new_duns' } }), 'cosell.config.yaml'));
  });
});
