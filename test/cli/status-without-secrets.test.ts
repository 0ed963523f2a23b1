/**
 * `cosell status` and `cosell conflicts list` read the state store only, so an operator runs them from a
 * shell that does not hold the service's secrets (systemd's EnvironmentFile, a container's secrets). They
 * refused with exit 2 when COSELL_TOKEN_KEY was not set, naming a key they never use.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { cosell, startCliWorld, type CliWorld } from '../helpers/cli.js';

describe('store-only commands need no secret (the real binary, Salesforce sandbox)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  let secretless: string;
  /** Neither the token cache's key nor the CRM's private key is available to the command. */
  const noSecrets = { COSELL_TOKEN_KEY: '' };

  before(async () => {
    world = await startCliWorld('salesforce');
    await world.seller.createDeal(dealSpec('Status without secrets'));
    await world.syncToQuiet();
    secretless = world.configVariant('secretless', (config) => {
      const salesforce = config.crm.salesforce as { auth: Record<string, unknown> };
      return { ...config, crm: { ...config.crm, salesforce: { ...salesforce, auth: { ...salesforce.auth, privateKey: 'env:COSELL_TEST_NOT_SET' } } } };
    });
  });
  after(async () => world?.close());

  it('cosell status reports the runs and links without COSELL_TOKEN_KEY or the CRM secret', async () => {
    const result = await cosell(['-c', secretless, 'status', '--json'], { env: noSecrets });
    assert.equal(result.code, 0, result.stderr);
    const status = JSON.parse(result.stdout) as { runs: unknown[] };
    assert.ok(status.runs.length > 0, 'the runs are listed');
  });

  it('cosell conflicts list answers without them too', async () => {
    const result = await cosell(['-c', secretless, 'conflicts', 'list'], { env: noSecrets });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'No open conflicts.');
  });

  it('a command that signs in still names the missing key (sync --once: exit 2)', async () => {
    const result = await world.cli(['sync', '--once'], noSecrets);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /COSELL_TOKEN_KEY is not set/);
  });
});
