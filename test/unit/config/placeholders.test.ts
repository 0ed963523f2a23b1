/** A config that still holds a `<…>` value `cosell init` wrote is refused, naming each key (exit 2 in the CLI). */
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { validateConfig } from '../../../config/load.js';
import { configTemplate } from '../../../config/template.js';
import { ConfigError } from '../../../core/errors.js';

describe('config validation: init placeholders', () => {
  it('refuses the unfilled Dynamics 365 template, naming every key that still holds a placeholder', () => {
    assert.throws(
      () => validateConfig(parseYaml(configTemplate('dynamics')), 'cosell.config.yaml'),
      (error: ConfigError) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.path, 'crm > dynamics > tenantId');
        assert.match(error.message, /crm > dynamics > tenantId: still holds the placeholder "<directory \(tenant\) id>" that cosell init wrote/);
        assert.match(error.message, /crm > dynamics > clientId: still holds the placeholder "<application \(client\) id>"/);
        assert.match(error.message, /partnerCenter > clientId: still holds the placeholder/);
        return true;
      },
    );
  });

  it('refuses a placeholder inside a longer value, such as an authority URL', () => {
    const document = parseYaml(configTemplate('salesforce')) as { crm: { salesforce: Record<string, unknown> }; partnerCenter: Record<string, unknown> };
    document.crm.salesforce.clientId = '3MVG9-consumer-key';
    document.partnerCenter.clientId = '00000000-0000-0000-0000-000000000001';
    document.partnerCenter.authority = 'https://login.microsoftonline.com/<tenant id>';
    assert.throws(() => validateConfig(document), /partnerCenter > authority: still holds the placeholder "<tenant id>"/);
  });

  it('accepts the template once its placeholders are filled in', () => {
    const document = parseYaml(configTemplate('salesforce')) as { crm: { salesforce: Record<string, unknown> }; partnerCenter: Record<string, unknown> };
    document.crm.salesforce.clientId = '3MVG9-consumer-key';
    document.partnerCenter.clientId = '00000000-0000-0000-0000-000000000001';
    assert.equal(validateConfig(document).crm.kind, 'salesforce');
  });
});
