/**
 * `cosell serve --database` follows its config file by the rules of a single install's serve. It read the
 * file once, so an admin's edit of the webhook checks (here the age bound) changed nothing, and nothing
 * said so, until a restart. Now an edit judges the next delivery, the keys that need a restart are named,
 * an event taken before the edit stays a duplicate, and an edit that does not load is reported once while
 * the service goes on with the settings it had.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveSchema } from '../../config/serve.js';
import { ConfigFileWatch } from '../../core/cli/config-reload.js';
import { silentLogger } from '../../core/logger.js';
import { startTenantsServe, type RunningTenantsService } from '../../core/serve/tenants-serve.js';
import { startPartnerCenterSandbox, type PartnerCenterSandbox } from '../../sandbox/partner-center/index.js';
import { signBody } from '../../sandbox/partner-center/webhooks/certificate.js';
import { useThrowawayPgDatabase } from '../helpers/pg-database.js';
import { insertTenants } from '../worker/tenants-fixture.js';

describe('cosell serve --database follows edits of its config file (PostgreSQL)', function () {
  this.timeout(120_000);
  const database = useThrowawayPgDatabase();
  let pc: PartnerCenterSandbox;
  let service: RunningTenantsService | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-tenants-edit-'));
  const file = path.join(dir, 'cosell.config.json');
  const reports = { taken: [] as { keys: string[]; needRestart: string[] }[], refused: [] as unknown[] };

  before(async () => {
    await insertTenants(database().db.pool, ['contoso']);
    pc = await startPartnerCenterSandbox();
  });
  after(async () => {
    await service?.stop();
    await pc?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const writeServe = (serve: Record<string, unknown>) => fs.writeFileSync(file, JSON.stringify({ serve }));
  const webhooks = (maxEventAgeMinutes: number) => ({ certificateHosts: [pc.url], trustSelfSigned: true, maxEventAgeMinutes });
  function delivery(referralId: string, minutesOld: number) {
    const body = JSON.stringify({ EventName: 'referral-updated', ResourceUri: `${pc.url}/engagements/v1/referrals/${referralId}`, ResourceName: 'referral', AuditUri: null, ResourceChangeUtcDate: new Date(pc.clock.nowMs() - minutesOld * 60_000).toISOString() });
    return { body, headers: { 'content-type': 'application/json', 'x-ms-certificate-url': `${pc.url}/webhooks/v1/certificate`, 'x-ms-signature-algorithm': 'rsa-sha256', authorization: `Signature ${signBody(body, pc.signing)}` } };
  }
  const post = async (d: ReturnType<typeof delivery>) => {
    const answer = await service!.app.inject({ method: 'POST', url: '/tenants/contoso/webhooks/partner-center', headers: d.headers, payload: d.body });
    return { status: answer.statusCode, body: JSON.parse(answer.body) as { duplicate?: boolean; error?: { code: string } } };
  };

  it('judges the next delivery by the edited webhook checks, names what needs a restart, and reports a broken edit once', async () => {
    writeServe({ webhooks: webhooks(60) });
    const watch = new ConfigFileWatch(file);
    const open = async () => ({ serve: serveSchema.parse((JSON.parse(fs.readFileSync(file, 'utf8')) as { serve: unknown }).serve) });
    const taken = await open();
    const flags = { port: 0 };
    service = await startTenantsServe({
      db: database().db,
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger(),
      now: () => new Date(pc.clock.nowMs()),
      webhooks: { connectionString: database().url, settings: { ...taken.serve, ...flags } },
      config: { watch, taken, flags, open, report: { taken: (keys, needRestart) => reports.taken.push({ keys, needRestart }), refused: (error) => reports.refused.push(error) } },
    });

    const fresh = delivery('ref-fresh', 0);
    assert.equal((await post(fresh)).status, 200);
    assert.equal((await post(delivery('ref-45-minutes-old', 45))).status, 200, 'within the 60-minute bound');

    // The port edit is the command line's (--port wins); trusted proxies are fixed at start.
    writeServe({ port: 9999, trustProxy: ['10.0.0.1'], webhooks: webhooks(30) });
    await service.checkConfig();
    assert.deepEqual(reports.taken, [{ keys: ['serve.port', 'serve.trustProxy', 'serve.webhooks.maxEventAgeMinutes'], needRestart: ['serve.trustProxy'] }]);
    assert.equal((await post(delivery('ref-45-minutes-old-again', 45))).body.error?.code, 'replay', 'the edited 30-minute bound');
    const retry = await post(fresh);
    assert.deepEqual([retry.status, retry.body.duplicate], [200, true], 'an event taken before the edit is still a duplicate');

    writeServe({ webhooks: webhooks(0) });
    await service.checkConfig();
    await service.checkConfig();
    assert.equal(reports.refused.length, 1, 'reported once, not at every check');
    assert.match(String(reports.refused[0]), /maxEventAgeMinutes|>=1|too_small/i);
    assert.equal((await post(delivery('ref-still-30', 45))).body.error?.code, 'replay', 'the settings it had');
    assert.equal(reports.taken.length, 1);
  });
});
