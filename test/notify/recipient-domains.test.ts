/**
 * Notices (customer names, deal values) go only to the organisation's own domains unless the operator allows
 * another. Until 2026-12-07 whoever edited the config could set `mailbox` or `admins` to any address, or add any
 * domain to `sellerDomains`, and every seller notice was mailed there.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError, loadConfig } from '../../config/load.js';
import { notificationsSchema, type NotificationsConfigInput } from '../../core/notify/config.js';
import { enforceRecipientDomains, recipientDomainProblems } from '../../core/notify/recipient-domains.js';

const notifications = (over: Partial<NotificationsConfigInput> = {}) =>
  notificationsSchema.parse({ graph: { authority: 'https://login.microsoftonline.com/t', clientId: 'c', clientSecret: 'env:X' }, from: 'notify@contoso.example', admins: ['admin@contoso.example'], ...over });

describe('notifications: recipients at the organisation\'s domains or the operator\'s', () => {
  it('the from mailbox\'s domain needs nothing', () => {
    assert.deepEqual(recipientDomainProblems(notifications({ mailbox: 'deals@CONTOSO.example', sellerDomains: ['contoso.example'] }), []), []);
  });

  it('a mailbox elsewhere is refused naming the key, the domain, the rule and the exact setting', () => {
    assert.throws(
      () => enforceRecipientDomains(notifications({ mailbox: 'copy@elsewhere.example' }), {}),
      (error: Error) =>
        error.message.startsWith('notifications > mailbox: elsewhere.example is not the from mailbox\'s domain (contoso.example)') &&
        error.message.includes('set COSELL_ALLOW_NOTIFICATION_DOMAINS=elsewhere.example in the environment'),
    );
  });

  it('admins and seller domains elsewhere are named too, all in one setting', () => {
    const problems = recipientDomainProblems(notifications({ admins: ['admin@contoso.example', 'ops@elsewhere.example'], sellerDomains: ['contoso.example', 'contoso.de'] }), []);
    assert.deepEqual(problems, [
      { path: 'notifications > admins > 1', domain: 'elsewhere.example' },
      { path: 'notifications > sellerDomains > 1', domain: 'contoso.de' },
    ]);
    assert.throws(() => enforceRecipientDomains(notifications({ admins: ['ops@elsewhere.example'], sellerDomains: ['contoso.de'] }), {}), /COSELL_ALLOW_NOTIFICATION_DOMAINS=elsewhere\.example,contoso\.de /);
  });

  it('the operator\'s COSELL_ALLOW_NOTIFICATION_DOMAINS allows exact domains; a malformed entry is refused naming the variable', () => {
    const config = notifications({ sellerDomains: ['contoso.example', 'contoso.de'], mailbox: 'deals@contoso.de' });
    assert.doesNotThrow(() => enforceRecipientDomains(config, { COSELL_ALLOW_NOTIFICATION_DOMAINS: 'Contoso.DE' }));
    assert.throws(() => enforceRecipientDomains(config, { COSELL_ALLOW_NOTIFICATION_DOMAINS: 'sub.contoso.de' }), /sellerDomains > 1/);
    assert.throws(() => enforceRecipientDomains(config, { COSELL_ALLOW_NOTIFICATION_DOMAINS: '*.contoso.de' }), /env > COSELL_ALLOW_NOTIFICATION_DOMAINS: "\*\.contoso\.de" is not an email domain/);
  });

  it('from as a user ID anchors no domain; a sandbox Graph on loopback and disabled notices need nothing', () => {
    assert.equal(recipientDomainProblems(notifications({ from: '6f1c2b7e-0000-4000-8000-000000000001' }), []).length, 1);
    assert.deepEqual(recipientDomainProblems(notifications({ mailbox: 'x@elsewhere.example', graph: { authority: 'https://login.microsoftonline.com/t', clientId: 'c', clientSecret: 'env:X', baseUrl: 'http://127.0.0.1:7010' } }), []), []);
    assert.deepEqual(recipientDomainProblems(notifications({ mailbox: 'x@elsewhere.example', enabled: false }), []), []);
  });

  it('a config file with such a mailbox does not load (a config error, exit 2, naming the file and the key)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosell-notify-domains-'));
    try {
      const file = join(dir, 'cosell.yaml');
      writeFileSync(
        file,
        `crm:
  kind: dynamics
  dynamics:
    environmentUrl: https://contoso.crm.dynamics.com
    tenantId: 72f988bf-86f1-41af-91ab-2d7cd011db47
    clientId: app
    clientSecret: env:X
partnerCenter:
  clientId: pc-app
notifications:
  graph:
    authority: https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47
    clientId: graph-app
    clientSecret: env:Y
  from: notify@contoso.example
  mailbox: copy@elsewhere.example
`,
      );
      assert.throws(() => loadConfig(file), (error: Error) => error instanceof ConfigFileError && /notifications > mailbox/.test(error.message) && error.message.includes(file));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
