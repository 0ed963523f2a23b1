/**
 * `cosell check` against Dynamics 365 when the CRM cannot be signed in to: the item shows FAIL with the
 * reason, the other items (endpoints, Partner Center) still run, and the command ends with its table and
 * exit 5, as the README says, rather than aborting with exit 3 and no table.
 */
import assert from 'node:assert/strict';
import { EXIT } from '../../core/cli/exit-codes.js';
import { cosell, startCliWorld, type CliWorld, type CliResult } from '../helpers/cli.js';

type DynamicsSection = { crm: { dynamics: { clientSecret: string; authorityMetadata?: string } } };

describe('cosell check, Dynamics 365 sign-in failing (the real binary, Dataverse sandbox)', function () {
  this.timeout(180_000);
  let world: CliWorld;
  before(async () => {
    world = await startCliWorld('dynamics');
  });
  after(async () => {
    await world?.close();
  });

  const checkWith = (name: string, change: (section: DynamicsSection['crm']['dynamics']) => void, env?: NodeJS.ProcessEnv): Promise<CliResult> => {
    const file = world.configVariant(name, (c) => {
      change((c as unknown as DynamicsSection).crm.dynamics);
      return c;
    });
    return cosell(['-c', file, 'check'], env ? { env } : {});
  };
  const assertFailRow = (result: CliResult, detail: RegExp) => {
    const output = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, EXIT.notReady, output.slice(0, 1500));
    assert.match(result.stdout, new RegExp(`FAIL +sign-in +${detail.source}`));
    assert.match(result.stdout, /ok +Partner Center sign-in/);
    assert.match(result.stdout, /Not ready: fix the items marked FAIL/);
  };

  it('a client secret Entra ID refuses: FAIL sign-in, refused credentials, exit 5', async () => {
    const result = await checkWith('wrong-secret', (d) => (d.clientSecret = 'env:COSELL_TEST_WRONG_DATAVERSE_SECRET'), { COSELL_TEST_WRONG_DATAVERSE_SECRET: 'sandbox-not-the-registered-secret' });
    assertFailRow(result, /Entra ID refused the Dataverse application's credentials/);
  });

  it('an environment URL of another environment (a token Dataverse refuses): FAIL sign-in, names environmentUrl, not the secret Entra ID took, exit 5', async () => {
    const result = await checkWith('other-environment', (d) => ((d as { environmentUrl?: string }).environmentUrl = 'https://contoso-other.crm.dynamics.com'));
    assertFailRow(result, /Dataverse answered 401/);
    assert.match(result.stdout, /crm > dynamics > environmentUrl/);
    assert.doesNotMatch(result.stdout, /client secret/, 'Entra ID issued the token: the secret is not the problem');
  });

  it('a token endpoint nothing answers on: FAIL sign-in, could not reach it (not refused), exit 5', async () => {
    const result = await checkWith('no-token-endpoint', (d) => {
      const metadata = JSON.parse(d.authorityMetadata!) as { token_endpoint: string };
      metadata.token_endpoint = metadata.token_endpoint.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'http://127.0.0.1:9');
      d.authorityMetadata = JSON.stringify(metadata);
    });
    assertFailRow(result, /Could not reach Entra ID's token endpoint/);
    assert.doesNotMatch(result.stdout, /refused/);
  });
});
