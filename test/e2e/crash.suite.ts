/**
 * A real crash: `cosell sync --once` runs as a child process against the test's sandboxes, its CRM
 * write-back is held by a slow fault, and it is killed with SIGKILL once Partner Center has created the
 * referral — between the create and the write-back. The next run must finish the job with no duplicate.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';

const BIN = fileURLToPath(new URL('../../bin/cosell.js', import.meta.url));
/**
 * The write-back (a PATCH inside a Composite call / a `$batch`): the sandboxes delay the call carrying it.
 * Not the whole `$batch`: the Dynamics change feed reads through `$batch` calls too.
 */
const WRITE_BACK: Record<CrmKind, string> = { salesforce: 'composite/sobjects', dynamics: '^PATCH /api/data/v9\\.2/opportunities\\(' };

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function runCrashSuite(kind: CrmKind): void {
  describe(`a sync killed between the Partner Center create and the CRM write-back (${kind})`, function () {
    this.timeout(120_000);
    let world: World;
    before(async () => {
      world = await startWorld(kind);
    });
    after(async () => world?.close());

    it('leaves no duplicate: the next run links the referral and writes it back', async () => {
      const crmId = await world.seller.createDeal(dealSpec('Crash test'));
      const configFile = join(world.runtime.config.store.path, '..', 'crash.config.json');
      writeFileSync(configFile, JSON.stringify({ ...world.runtime.config, logging: { level: 'silent' } }));
      const faults = kind === 'salesforce' ? world.set.salesforce.faults : world.set.dataverse.faults;
      faults.configure({ rate: 1, kinds: { slow: 1 }, slowMs: 60_000, match: WRITE_BACK[kind] });

      const child = spawn(process.execPath, [BIN, 'sync', '--once', '-c', configFile], { stdio: 'ignore', env: process.env });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? null : code)));
      const created = () => world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).some((r) => r.externalReferenceId === crmId);
      await waitFor(created, 60_000);
      child.kill('SIGKILL');
      assert.equal(await exited, null, 'the child was killed, it did not finish');
      assert.equal((await world.seller.read(crmId)).referralId, undefined, 'the write-back had not happened');

      faults.configure(undefined);
      const reports = await world.syncToQuiet();
      assert.equal(reports[reports.length - 1]!.writes, 0);
      const referrals = world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG).filter((r) => r.externalReferenceId === crmId);
      assert.equal(referrals.length, 1, 'exactly one referral for the deal');
      const view = await world.seller.read(crmId);
      assert.equal(view.referralId, referrals[0]!.id);
      assert.equal(view.syncState, 'synced');
      assert.equal(world.runtime.store.listIntents().length, 0, 'no create intent left behind');
    });
  });
}
