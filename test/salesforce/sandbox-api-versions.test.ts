/**
 * API versions on the Salesforce sandbox as a real org answers them: the versions `/services/data/` lists
 * are served; a retired one (7.0 through 30.0: "If you request any resource or use an operation from a
 * retired API version, REST API returns the 410:GONE error code", REST API Developer Guide, API End-of-Life)
 * is 410; one the org does not have (a later release, or a malformed segment) is 404 NOT_FOUND. An
 * `apiVersion` the org would refuse must fail against the sandbox too, not only in production.
 */
import assert from 'node:assert/strict';
import { type SalesforceSandbox } from '../../sandbox/salesforce/index.js';
import { seededSandboxWithToken, type SalesforceHarness } from '../helpers/salesforce-harness.js';

describe('Salesforce sandbox API versions', function () {
  this.timeout(30_000);
  let h: SalesforceHarness;
  let sb: SalesforceSandbox;
  let token: string;
  const query = (version: string) =>
    fetch(`${sb.url}/services/data/${version}/query?q=${encodeURIComponent('SELECT Id FROM Opportunity LIMIT 1')}`, { headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    ({ harness: h, sandbox: sb, token } = await seededSandboxWithToken());
  });
  after(() => h?.close());

  it('serves every version /services/data/ lists, the oldest supported one (31.0) included', async () => {
    const listed = (await (await fetch(`${sb.url}/services/data/`)).json()) as Array<{ version: string; url: string }>;
    const versions = listed.map((v) => v.version);
    assert.ok(versions.includes('31.0') && versions.includes('62.0'), versions.join(' '));
    for (const version of versions) assert.equal((await query(`v${version}`)).status, 200, version);
  });

  it('answers a retired version (7.0 through 30.0) with 410 in the error-array shape', async () => {
    for (const version of ['v30.0', 'v20.0', 'v12.0']) {
      const res = await query(version);
      assert.equal(res.status, 410, version);
      const body = (await res.json()) as Array<{ errorCode: string; message: string }>;
      assert.equal(body[0]?.errorCode, 'GONE', version);
      assert.match(body[0]!.message, new RegExp(`API version ${version.slice(1).replace('.', '\\.')} .*retired`));
    }
  });

  it('answers a version the org does not have, or a malformed version segment, with 404 NOT_FOUND', async () => {
    const newest = ((await (await fetch(`${sb.url}/services/data/`)).json()) as Array<{ version: string }>).at(-1)!.version;
    for (const version of [`v${Number(newest) + 1}.0`, 'v99.0', 'v62', '62.0', 'vlatest']) {
      const res = await query(version);
      assert.equal(res.status, 404, version);
      assert.deepEqual(await res.json(), [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }], version);
    }
  });
});
