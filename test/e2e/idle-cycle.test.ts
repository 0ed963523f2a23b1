/**
 * An idle cycle costs one Partner Center page, also after a bulk change: the change feed's window follows
 * the service's time of the last full read, not only the newest referral (issue 13). Before, every idle
 * run after a bulk change re-read the whole bulk until something else changed.
 */
import assert from 'node:assert/strict';
import { startWorld, type World } from '../../sandbox/world.js';

const MINUTE = 60_000;

describe('idle cycles after a bulk change (Partner Center change feed)', function () {
  this.timeout(120_000);
  let world: World;
  before(async () => {
    world = await startWorld('dynamics');
  });
  after(async () => world?.close());

  it('re-reads the bulk at most once more after a quiet period, then reads one empty page per run', async () => {
    for (let i = 0; i < 250; i += 1) assert.equal(world.microsoft.sendReferral({ deal: { dealName: `Bulk referral ${i}` } }).ok, true);
    const initial = await world.syncToQuiet();
    assert.equal(initial.at(-1)!.writes, 0);
    world.set.clock.advance(5 * MINUTE);
    await world.sync();
    world.set.clock.advance(5 * MINUTE);
    const idle = await world.sync();
    assert.equal(idle.counts.pcRead ?? 0, 0, 'nothing re-read');
    assert.equal(idle.partnerCenterCalls, 1, 'one empty page');
    assert.equal(idle.writes, 0);
    // And a change after all that is still seen.
    const sent = world.microsoft.sendReferral({ deal: { dealName: 'After the quiet period' } });
    assert.equal(sent.ok, true);
    const next = await world.sync();
    assert.equal(next.counts.pcRead, 1);
    assert.equal(next.counts.crmCreated, 1);
  });
});

describe('idle cycles in a new Salesforce sandbox org (the admin trying it out)', function () {
  this.timeout(120_000);
  let world: World;
  before(async () => {
    world = await startWorld('salesforce', { seed: true });
  });
  after(async () => world?.close());

  it("reads none of the org's existing opportunities again once the first runs have synced", async () => {
    const first = await world.syncToQuiet();
    assert.equal(first.at(-1)!.writes, 0);
    // Minutes, not the late-commit margin (five): what an admin's `cosell run --interval 1` sees next.
    world.set.clock.advance(MINUTE);
    const idle = await world.sync();
    assert.equal(idle.counts.crmRead ?? 0, 0, `the seeded opportunities were re-read: ${JSON.stringify(idle.counts)}`);
    assert.equal(idle.writes, 0);
  });
});
