/**
 * `cosell serve` follows its config file as `cosell run` does (the real binary, Salesforce sandbox). It
 * read the file once, so an admin's edit (the poll interval, the conflict policy) changed nothing, and
 * nothing said so, until a restart. Now an edit is used from the next sync on, naming the keys that
 * changed and those that need a restart; an edit that does not load is reported once and the service goes
 * on with the settings it had; and no referral announced around an edit is lost or written twice.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { freePort } from '../helpers/free-port.js';
import { deliver, referralEvent } from './serve-world.js';
import { lineAfter, replaceFile, startCosell, startCliWorld, waitFor, type CliChild, type CliWorld } from '../helpers/cli.js';

describe('cosell serve picks up an edited config at its next sync (the real binary, Salesforce sandbox)', function () {
  this.timeout(180_000);
  let world: CliWorld;
  let serve: CliChild | undefined;
  before(async () => {
    world = await startCliWorld('salesforce');
  });
  after(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGTERM');
      await serve.done;
    }
    await world?.close();
  });

  it('uses a valid edit from the next sync, names what needs a restart, reports a broken edit once and keeps serving, losing and doubling nothing', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const file = world.configVariant('serve-edits', (c) => ({ ...c, serve: { ...c.serve, pollIntervalMinutes: 60 } }));
    const config = JSON.parse(readFileSync(file, 'utf8')) as { sync: Record<string, unknown>; serve: Record<string, unknown>; store: { path: string } };
    const child = startCosell(['-c', file, 'serve', '--port', String(port), '--public-url', base, '--register']);
    serve = child;
    const out = () => child.output();
    const polls = async () => Number(/cosell_runs_total\{tenant="default",kind="poll",outcome="ok"\} (\d+)/.exec(await (await fetch(`${base}/metrics`)).text())?.[1] ?? 0);
    const onceInCrm = async (id: string) => (await world.seller.recordsForReferral(id)).length === 1;
    await waitFor(() => /Registered http/.test(out().stdout), 60_000, 'the service registered');
    await waitFor(async () => (await polls()) >= 1, 60_000, 'the first poll');

    // An event taken before the edit, delivered again after it, is still a duplicate (the events taken are
    // in the store); one 45 minutes old is refused once the edit lowers the age bound from 60 to 30 minutes.
    const intake = { world, webhookUrl: `${base}/webhooks/partner-center` };
    const taken = referralEvent(intake, 'not-ours-0001');
    assert.equal((await deliver(intake, taken)).status, 200);
    const old = referralEvent(intake, 'not-ours-0002', 'referral-updated', -45 * 60);

    // Referrals announced just before and just after the edit: their webhooks are in flight while it is taken.
    const before = world.microsoft.sendReferral({ deal: { dealName: 'Announced before the edit' } });
    assert.ok(before.ok);
    replaceFile(file, JSON.stringify({ ...config, sync: { ...config.sync, conflictPolicy: 'manual', stopGraceSeconds: 3 }, serve: { ...config.serve, pollIntervalMinutes: 0.05, port: port + 1, webhooks: { ...(config.serve.webhooks as object), maxEventAgeMinutes: 30 } }, store: { path: `${config.store.path}.elsewhere` } }));
    const after = world.microsoft.sendReferral({ deal: { dealName: 'Announced after the edit' } });
    assert.ok(after.ok);
    // The edit's line and the one naming what needs a restart are two writes, which this process may read
    // apart: wait for the line after the edit's to be read in full.
    const afterEdit = () => lineAfter(out().stdout, /changed \(serve\.pollIntervalMinutes, serve\.port, serve\.webhooks\.maxEventAgeMinutes, store\.path, sync\.conflictPolicy, sync\.stopGraceSeconds\): used from the next sync on\./);
    await waitFor(() => afterEdit() !== undefined, 30_000, 'the edit taken, and the line after it');
    // The store needs a restart; the port does not, as the command line's --port wins over the file anyway.
    assert.match(afterEdit()!, /^Needs a restart: store\.path \(until then the service keeps what it started with\)\.$/);
    const again = await deliver(intake, taken);
    assert.deepEqual([again.status, (again.body as { duplicate?: boolean }).duplicate], [200, true], 'a retry of an event taken before the edit');
    assert.equal((await deliver(intake, old)).body.error?.code, 'replay', 'the edited age bound');
    // The new interval is used (3 s instead of 60 minutes), on the store it started with.
    const polled = await polls();
    await waitFor(async () => (await polls()) >= polled + 2, 30_000, 'polls at the edited interval');

    replaceFile(file, JSON.stringify({ ...config, sync: { ...config.sync, conflictPolicy: 'whoever-shouts' } }));
    await waitFor(() => /changed but cannot be used; the service keeps the settings it had/.test(out().stderr), 30_000, 'the broken edit reported');
    // The line and the error under it are two writes: they may reach this process in two reads.
    await waitFor(() => /cannot be used[\s\S]*conflictPolicy/.test(out().stderr), 10_000, 'the error naming the key');
    const during = world.microsoft.sendReferral({ deal: { dealName: 'Announced while the file is broken' } });
    assert.ok(during.ok);
    // It goes on serving on the settings it had: polls every 3 s still, the referral synced; more than one
    // idle check (every 5 s) passes without the same broken file being reported again.
    const pollsThen = await polls();
    await waitFor(async () => (await polls()) >= pollsThen + 4, 30_000, 'polls going on at the edited interval');
    await waitFor(() => onceInCrm(during.value.id), 30_000, 'the referral announced while the file is broken');
    assert.equal(out().stderr.match(/cannot be used/g)?.length, 1, 'reported once, not at every sync');
    assert.doesNotMatch(out().stdout, /whoever-shouts/);

    await world.set.partnerCenter.webhooks.idle();
    for (const sent of [before, after, during]) {
      await waitFor(() => onceInCrm(sent.value.id), 30_000, `${sent.value.id} in the CRM`);
      assert.equal((await world.seller.recordsForReferral(sent.value.id)).length, 1, 'once, not twice');
    }
    child.child.kill('SIGTERM');
    const result = await child.done;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /SIGTERM: stopping \(no new connections, the current page finishes within 3 s/, 'the stop grace of the edit in use');
  });
});
