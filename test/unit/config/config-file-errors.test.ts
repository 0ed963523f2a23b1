/**
 * What an admin reads when the config file is wrong: every problem with its key path, no word of our own
 * message taken for a secret, and a secret value that reached a problem's text still removed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError, loadConfig, validateConfig } from '../../../config/load.js';

function problemOf(run: () => unknown): ConfigFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigFileError) return error;
    throw error;
  }
  assert.fail('no config error');
}

describe('config file errors', () => {
  it('keeps the whole rule of a secret key: "privateKey: must be a secret reference", not "[redacted] be"', () => {
    const error = problemOf(() => validateConfig({ crm: { kind: 'salesforce', salesforce: { auth: { kind: 'jwt', username: 'u@example.com', privateKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' } } } }, 'cosell.config.yaml'));
    assert.match(error.message, /^cosell\.config\.yaml is not valid:\n/);
    assert.match(error.message, /crm > salesforce > auth > privateKey: must be a secret reference/);
    assert.doesNotMatch(error.message, /\[redacted\]/);
    assert.doesNotMatch(error.message, /MIIEvQIBADANBgkqhkiG9w0BAQEFAASC/, 'the literal key never reaches the message');
  });

  it('still removes a secret value that reached the text of a problem', () => {
    const error = new ConfigFileError('cosell.config.yaml', [{ path: 'crm > dynamics > clientSecret', message: 'expected a reference, got client_secret=Sup3rS3cretValue!' }]);
    assert.match(error.message, /crm > dynamics > clientSecret: expected a reference, got client_secret=\[redacted\]/);
    assert.doesNotMatch(error.message, /Sup3rS3cretValue/);
  });

  it('says once which file it cannot read, why, and what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosell-config-'));
    try {
      const missing = problemOf(() => loadConfig(join(dir, 'cosell.config.yaml')));
      assert.equal(missing.message, `Cannot read the config file ${join(dir, 'cosell.config.yaml')} (there is no such file): create one with "cosell init", or name another with --config FILE`);
      assert.match(problemOf(() => loadConfig(dir)).message, /\(it is a folder\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
