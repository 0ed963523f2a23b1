/**
 * What `cosell serve` does with an edited config's `serve` settings (core/serve/config-follow.ts): the
 * command line's flags still win over the file, and what the service fixed when it started (where it
 * listens, which proxies it trusts, the URL it registered, the store, the log, the dashboard) is named as
 * needing a restart and kept, instead of being taken silently or ignored silently.
 */
import assert from 'node:assert/strict';
import { validateConfig } from '../../../config/load.js';
import type { CosellConfig } from '../../../config/schema.js';
import { changedKeys } from '../../../core/cli/config-reload.js';
import { restartBound, settingsAfterEdit } from '../../../core/serve/config-follow.js';

const config = (edit: Record<string, unknown> = {}): CosellConfig =>
  validateConfig(
    {
      crm: { kind: 'salesforce', salesforce: { loginUrl: 'https://test.salesforce.com', clientId: 'consumer-key', auth: { kind: 'jwt', username: 'integration@example.com', privateKey: 'env:SF_KEY' } } },
      partnerCenter: { clientId: '0c05e11c-0000-4000-8000-00000000c11e' },
      ...edit,
    },
    'cosell.config.yaml',
  );

describe("cosell serve: an edited config's settings", () => {
  const started = config();
  const running = { ...started.serve, port: 9000 };

  it('takes the edited poll interval, lag bound and webhook checks, and keeps where it listens and whom it trusts', () => {
    const edited = config({ serve: { port: 7000, host: '0.0.0.0', trustProxy: ['loopback'], publicUrl: 'https://cosell.example.com', pollIntervalMinutes: 2, maxLagMinutes: 10, webhooks: { maxEventAgeMinutes: 30 } } });
    const settings = settingsAfterEdit(running, edited, { port: 9000 });
    assert.equal(settings.pollIntervalMinutes, 2);
    assert.equal(settings.maxLagMinutes, 10);
    assert.equal(settings.webhooks.maxEventAgeMinutes, 30);
    assert.deepEqual([settings.port, settings.host, settings.trustProxy, settings.publicUrl], [9000, '127.0.0.1', [], undefined]);
  });

  it('lets a flag win over the edited file', () => {
    assert.equal(settingsAfterEdit(running, config({ serve: { pollIntervalMinutes: 2 } }), { pollIntervalMinutes: 30 }).pollIntervalMinutes, 30);
  });

  it('names what needs a restart, but not a key a flag overrides nor one that only a sync uses', () => {
    const flags = { port: 9000 };
    const edited = config({ serve: { port: 7000, host: '0.0.0.0', pollIntervalMinutes: 2 }, store: { path: '/var/lib/cosell/other.sqlite' }, logging: { level: 'info' }, sync: { conflictPolicy: 'manual' } });
    const needRestart = changedKeys(restartBound(started, { ...started.serve, ...flags }), restartBound(edited, { ...edited.serve, ...flags }));
    assert.deepEqual(needRestart, ['logging.level', 'serve.host', 'store.path']);
  });
});
