/**
 * The JWT bearer flow's private key comes from a secret reference (`file:` or `env:`). One that holds no
 * RSA private key (a certificate, a public key, a truncated file) is a config mistake: the message names
 * `crm > salesforce > auth > privateKey` and says what it must hold, the command ends with exit 2, and the
 * text of the secret is never repeated. Until 2026-12-05 OpenSSL's own words reached the admin
 * ("error:1E08010C:DECODER routines::unsupported", exit 1), naming nothing.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { EXIT } from '../../core/cli/exit-codes.js';
import { exitCodeFor } from '../../core/cli/output.js';
import { salesforceOptionsSchema } from '../../connectors/salesforce/config.js';
import { SalesforceClient } from '../../connectors/salesforce/client.js';
import { startRecorder, type Recorder } from '../helpers/recorder.js';

describe('Salesforce JWT private key that is not one', () => {
  let login: Recorder | undefined;
  afterEach(async () => {
    await login?.close();
    login = undefined;
  });

  const clientWith = (secret: string) => {
    const options = salesforceOptionsSchema.parse({ loginUrl: login!.url, clientId: 'consumer-key', auth: { kind: 'jwt', username: 'integration@example.com', privateKey: 'env:SF_TEST_KEY' } });
    return new SalesforceClient(options, { resolveSecret: async () => secret });
  };

  const refusal = async (secret: string): Promise<Error> => {
    try {
      await clientWith(secret).connection();
    } catch (error) {
      return error as Error;
    }
    assert.fail('the key was accepted');
  };

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cases: [string, string, RegExp][] = [
    ['text that is no key', 'NotAKeyButASecretishText-42', /does not hold a private key in PEM form/],
    ['a public key', generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), /does not hold a private key in PEM form/],
    ['an EC key', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /an ec key: Salesforce's JWT sign-in takes RSA keys only/],
  ];
  for (const [what, secret, rule] of cases) {
    it(`${what}: names crm > salesforce > auth > privateKey, exit 2, sends nothing, repeats no secret`, async () => {
      login = await startRecorder();
      const error = await refusal(secret);
      assert.match(error.message, /^crm > salesforce > auth > privateKey: /);
      assert.match(error.message, rule);
      assert.equal(exitCodeFor(error), EXIT.config);
      assert.ok(!error.message.includes(secret.slice(0, 20)), 'the secret is not repeated');
      assert.equal(login.received.length, 0, 'no token request was made');
    });
  }
});
