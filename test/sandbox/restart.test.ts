/**
 * `cosell sandbox --persist DIR` restarted under a connector installation that keeps its config, state
 * store and token cache: the sandboxes come back on their ports, the Partner Center sign-in from before
 * still refreshes silently (no new device-code sign-in), and each CRM syncs on from its stored cursor
 * (Salesforce also needs its connected app back: same client id and key). When a port is taken at the restart, the sandbox moves and says so, and a cursor
 * holding an absolute delta link to the old port (as earlier versions stored it) is rebased onto the
 * configured Web API: nothing reaches the old port, not even the token.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceCodeProviderFor } from '../../connectors/partner-center/index.js';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { SandboxSet } from '../../sandbox/launch.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { startTinyServer, type TinyServer } from '../helpers/partner-center-client.js';
import { unwrap } from '../e2e/lifecycle.suite.js';

const portsOf = (set: SandboxSet) => ({
  entra: set.entra.port,
  partnerCenter: set.partnerCenter.port,
  salesforce: Number(new URL(set.salesforce.url).port),
  dataverse: Number(new URL(set.dataverse.url).port),
});

describe('sandbox set restarted with --persist', function () {
  this.timeout(120_000);
  let root: string;
  let persistDir: string;
  let stateDir: string;
  let worlds: World[];
  let blocker: TinyServer | undefined;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cosell-restart-'));
    persistDir = join(root, 'sandbox');
    stateDir = join(root, 'connector');
    mkdirSync(stateDir);
    worlds = [];
    blocker = undefined;
  });
  afterEach(async () => {
    for (const world of worlds) await world.close().catch(() => undefined);
    await blocker?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const start = async (signIn: boolean, kind: CrmKind = 'dynamics') => {
    const world = await startWorld(kind, { persistDir, stateDir, signIn });
    worlds.push(world);
    return world;
  };

  /** Signs in, shares one deal from Dynamics and syncs it to Partner Center; returns the CRM id. */
  async function firstLife(kind: CrmKind = 'dynamics'): Promise<{ world: World; crmId: string; referralId: string }> {
    const world = await start(true, kind);
    const crmId = await world.seller.createDeal(dealSpec('Before the restart'));
    const reports = await world.syncToQuiet();
    assert.ok(reports.every((r) => r.outcome === 'ok'), JSON.stringify(reports));
    const referralId = (await world.seller.read(crmId)).referralId;
    assert.ok(referralId, 'the deal reached Partner Center before the restart');
    return { world, crmId, referralId };
  }

  for (const kind of ['dynamics', 'salesforce'] as const) {
    it(`comes back on the same ports with the sign-in, and ${kind} syncs on from the stored cursors`, async () => {
      const { world: before, crmId, referralId } = await firstLife(kind);
      const ports = portsOf(before.set);
      const { clientId, privateKeyPem } = before.set.salesforce.credentials;
      for (const side of ['crm', 'partner-center'] as const) {
        assert.doesNotMatch(JSON.stringify(before.runtime.store.getCursor(side)), /127\.0\.0\.1/, `the ${side} cursor embeds no address of the service`);
      }
      await before.close();

      const after = await start(false, kind);
      assert.deepEqual(portsOf(after.set), ports, 'every sandbox is back on its port');
      assert.deepEqual(after.set.portMoves, []);
      const kept = after.set.salesforce.credentials;
      assert.deepEqual({ clientId: kept.clientId, privateKeyPem: kept.privateKeyPem }, { clientId, privateKeyPem }, 'the Salesforce connected app a kept config names is the same');
      // The cached sign-in from before refreshes silently against the restarted Entra sandbox.
      const token = await deviceCodeProviderFor(after.runtime.config.partnerCenter).getAccessToken({ forceRefresh: true });
      const verified = after.set.entra.signer.verify(token, 'https://api.partner.microsoft.com', Math.floor(Date.now() / 1000));
      assert.ok(verified.ok && verified.claims.idtyp === 'user', 'an App+User token from the refresh token issued before the restart');
      assert.equal(after.set.entra.state.deviceCodes.size, 0, 'nobody was asked to sign in again');

      await after.seller.edit(crmId, { notes: 'Edited after the restart' });
      const reports = await after.syncToQuiet();
      assert.ok(reports.every((r) => r.outcome === 'ok'), JSON.stringify(reports));
      assert.equal(after.set.partnerCenter.store.get(referralId)?.details?.notes, 'Edited after the restart');
    });
  }

  it('keeps a moved clock: a referral sent after the restart is not dated before what the connector read, and syncs', async () => {
    const { world: before } = await firstLife('salesforce');
    // Three days pass on the sandboxes' clock (`POST /_sandbox/partner-center/clock`), with a sync after them.
    before.set.clock.advance(3 * 86_400_000);
    unwrap(before.microsoft.sendReferral({ deal: { dealName: 'Sent in the moved time' } }));
    assert.ok((await before.syncToQuiet()).every((r) => r.outcome === 'ok'));
    const movedTo = before.set.clock.nowMs();
    await before.close();

    const after = await start(false, 'salesforce');
    assert.ok(after.set.clock.nowMs() >= movedTo, `the clock went back from ${new Date(movedTo).toISOString()} to ${after.set.clock.iso()}`);
    const sent = unwrap(after.microsoft.sendReferral({ deal: { dealName: 'Sent after the restart' } }));
    assert.ok((await after.syncToQuiet()).every((r) => r.outcome === 'ok'));
    assert.ok(after.runtime.store.getLinkByReferralId(sent.id), 'the referral sent after the restart reached the CRM');
  });

  it('moves a sandbox whose port is taken, says so, and rebases a stored absolute delta link onto the new port', async () => {
    const { world: before, crmId, referralId } = await firstLife();
    const oldDataverse = before.set.dataverse.url;
    // A store written by an earlier version held the delta link as Dataverse gave it: absolute.
    const cursor = before.runtime.store.getCursor('crm')!;
    before.runtime.store.putCursor('crm', { ...cursor, link: `${oldDataverse}/api/data/v9.2/${String(cursor.link)}` });
    await before.close();

    // Another program now holds the old Dataverse port, and records whatever reaches it.
    blocker = await startTinyServer((_req, res) => {
      res.writeHead(500);
      res.end();
    }, Number(new URL(oldDataverse).port));

    const after = await start(false);
    const move = after.set.portMoves.find((m) => m.sandbox === 'dataverse');
    assert.deepEqual(move && { from: move.from, moved: move.to !== move.from }, { from: Number(new URL(oldDataverse).port), moved: true });
    assert.notEqual(after.set.dataverse.url, oldDataverse);

    await after.seller.edit(crmId, { notes: 'Edited after the move' });
    const reports = await after.syncToQuiet();
    assert.ok(reports.every((r) => r.outcome === 'ok'), JSON.stringify(reports));
    assert.equal(after.set.partnerCenter.store.get(referralId)?.details?.notes, 'Edited after the move');
    assert.equal(blocker.requests.length, 0, 'nothing, and so no token, went to the old port');
    assert.doesNotMatch(String(after.runtime.store.getCursor('crm')?.link), /127\.0\.0\.1/, 'the cursor is stored relative again');
  });
});
