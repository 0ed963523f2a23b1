/**
 * An admin trying the product against the sandboxes moves their shared clock to see a referral near its
 * deadline. The CLI runs on this machine's clock; it must follow Partner Center's (its `Date` header), or
 * the 48-hour reminder never comes and the deadlines it shows are 12 days off (core/service-clock.ts).
 * Through the real binary.
 */
import assert from 'node:assert/strict';
import { cosell, startCliWorld, type CliWorld } from '../helpers/cli.js';
import { notificationsFor } from '../helpers/notifications.js';
import type { SentItem } from '../../sandbox/graph/wire.js';

const DAY = 86_400_000;
const TEAM = [{ firstName: 'Sam', lastName: 'Seller', email: 'sam@contoso-partner.example', phone: '+1 425 555 0101' }];

async function sentSubjects(world: CliWorld, name: string): Promise<string[]> {
  const response = await fetch(`${world.set.graph.controls}/sent`);
  return ((await response.json()) as { value: SentItem[] }).value.map((m) => m.subject ?? '').filter((s) => s.includes(name));
}

describe('the CLI keeps to Partner Center\'s clock (real binary)', function () {
  this.timeout(120_000);
  let world: CliWorld;
  afterEach(async () => world?.close());

  it('after the sandbox clock moves 12.5 days, the next sync --once sends the 48-hour reminder, and the offset is kept', async () => {
    world = await startCliWorld('salesforce');
    const config = world.configVariant('notify', (c) => ({ ...c, notifications: notificationsFor(world) }));
    const sync = async () => {
      const out = await cosell(['-c', config, 'sync', '--once']);
      assert.equal(out.code, 0, out.stderr);
      return out;
    };
    const sent = world.microsoft.sendReferral({ deal: { dealName: 'Adatum clock test', team: TEAM } });
    assert.ok(sent.ok);
    await sync();
    assert.deepEqual((await sentSubjects(world, 'Adatum clock test')).map((s) => s.split(':')[0]), ['New co-sell referral']);

    world.set.clock.advance(12.5 * DAY);
    const moved = await sync();
    assert.match(moved.stdout + moved.stderr, /clock differs from Partner Center's/, 'the shift is told');
    const subjects = await sentSubjects(world, 'Adatum clock test');
    assert.equal(subjects.length, 2, `the reminder went (${subjects.join(' | ')})`);
    assert.match(subjects[1]!, /within 1 day/);
    const kept = world.runtime.store.getMeta('clock.partner-center-offset-ms') as number;
    assert.ok(Math.abs(kept - 12.5 * DAY) < 60_000, `the offset is kept for the next process (${kept})`);
  });
});
