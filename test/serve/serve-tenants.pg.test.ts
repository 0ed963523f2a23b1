/**
 * `cosell serve --database REF`, the real binary against a throwaway PostgreSQL database with two
 * tenants: the dashboard lists the tenants and shows one with the picker, `/metrics` has each tenant's
 * state gauges, `/healthz` answers, SIGTERM stops it with 0; the flags of a syncing serve are refused.
 */
import assert from 'node:assert/strict';
import { EXIT } from '../../core/cli/exit-codes.js';
import { cosell, startCosell, waitFor, type CliChild } from '../helpers/cli.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { CONTOSO_PARKED, seedTwoTenants } from '../tenants/observability-fixtures.js';

describe('cosell serve --database (multi-tenant dashboard, metrics and webhook intake)', function () {
  this.timeout(120_000);
  const opened = useThrowawayPgDatabase();
  const env = () => ({ OBSERVE_TEST_DATABASE_URL: opened().url });
  let serve: CliChild | undefined;
  before(async () => seedTwoTenants(opened().db, new Date()));
  after(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGTERM');
      await serve.done;
    }
  });

  it("serves every tenant's dashboard, their state gauges and /healthz, and stops on SIGTERM", async () => {
    serve = startCosell(['serve', '--database', 'env:OBSERVE_TEST_DATABASE_URL', '--port', '0'], { env: env() });
    const child = serve;
    let base = '';
    await waitFor(() => Boolean((base = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.output().stdout)?.[1] ?? '')), 60_000, 'the service to listen');

    const list = await (await fetch(`${base}/`)).text();
    assert.match(list, /<a href="\?tenant=contoso">Contoso Ltd<\/a>/);
    assert.match(list, /<a href="\?tenant=fabrikam">Fabrikam<\/a>/);
    const contoso = await (await fetch(`${base}/?tenant=contoso`)).text();
    assert.match(contoso, /<option value="contoso" selected>/);
    assert.ok(contoso.includes(CONTOSO_PARKED));

    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const line of ['cosell_parked_records{tenant="contoso"} 1', 'cosell_parked_records{tenant="fabrikam"} 1', 'cosell_open_conflicts{tenant="contoso"} 1', 'cosell_open_conflicts{tenant="fabrikam"} 0']) {
      assert.ok(metrics.includes(line), `missing ${line}`);
    }
    assert.deepEqual(((await (await fetch(`${base}/healthz`)).json()) as { status: string }).status, 'ok');
    // Every tenant's webhook intake is mounted: an unsigned delivery is refused before anything is recorded.
    const unsigned = await fetch(`${base}/tenants/contoso/webhooks/partner-center`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { error: { code: string } }).error.code, 'signature_missing');

    child.child.kill('SIGTERM');
    const done = await child.done;
    assert.equal(done.code, EXIT.ok, done.stderr);
    assert.match(done.stdout, /Stopped\./);
  });

  it('stops cleanly on a SIGTERM sent the moment it says it listens', async () => {
    // Until 2026-12-06 the stop listener came after the Listening line: a signal sent on that line (a
    // supervisor's restart, a script) ended the process by Node's default, not with Stopped and 0.
    const child = startCosell(['serve', '--database', 'env:OBSERVE_TEST_DATABASE_URL', '--port', '0'], { env: env() });
    child.child.stdout!.on('data', (chunk: string) => {
      if (chunk.includes('Listening on')) child.child.kill('SIGTERM');
    });
    const done = await child.done;
    assert.deepEqual([done.code, done.signal], [EXIT.ok, null], done.stderr);
    assert.match(done.stdout, /Stopped\./);
  });

  it('refuses the flags of a syncing serve', async () => {
    const refused = await cosell(['serve', '--database', 'env:OBSERVE_TEST_DATABASE_URL', '--register'], { env: env() });
    assert.equal(refused.code, EXIT.config);
    assert.match(refused.stderr, /--database: a multi-tenant serve runs no sync \(each tenant registers its own webhook URL, \/tenants\/\{id\}\/webhooks\/partner-center\), so --register does not apply/);
  });
});
