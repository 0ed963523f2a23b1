/**
 * A fresh sandbox world for each test of a mocha `describe`: started before the test, closed after it,
 * so that no test sees another's deals. Read `.world` inside a test (it changes with each one).
 */
import { startWorld, type CrmKind, type World, type WorldOptions } from '../../sandbox/world.js';

export function worldPerTest(kind: CrmKind, options: WorldOptions = {}): { readonly world: World } {
  const holder = { world: undefined as unknown as World };
  beforeEach(async () => {
    holder.world = await startWorld(kind, options);
  });
  afterEach(async () => {
    await holder.world.close();
  });
  return holder;
}
