/**
 * A sandbox world whose CRM holds `deals` opted-in outbound deals (as the benchmark seeds them, stamped ten
 * minutes before the connector's first run), synced until a run writes nothing. `pastMargins`: then the
 * clocks move on past every feed's margin for late commits and one more run reads, as a daemon's next cycle
 * does, so that the next run sees only what a test changes.
 */
import assert from 'node:assert/strict';
import { seedCrmDeals } from '../../bench/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';

const MINUTE = 60_000;

export async function linkedWorld(kind: CrmKind, deals: number, options: { pastMargins?: boolean } = {}): Promise<World> {
  const world = await startWorld(kind);
  world.set.clock.advance(-10 * MINUTE);
  seedCrmDeals(kind, world.set, deals);
  world.set.clock.advance(10 * MINUTE);
  const initial = await world.syncToQuiet();
  assert.equal(initial.at(-1)!.writes, 0, 'the initial sync ends with a run that writes nothing');
  if (options.pastMargins ?? true) {
    world.set.clock.advance(10 * MINUTE);
    await world.sync();
  }
  return world;
}
