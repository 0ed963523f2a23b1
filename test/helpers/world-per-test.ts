/**
 * A fresh sandbox world for each test of a mocha `describe`: started before the test, closed after it,
 * so that no test sees another's deals. Read `.world` inside a test (it changes with each one).
 */
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';

export function worldPerTest(kind: CrmKind): { readonly world: World } {
  const holder = { world: undefined as unknown as World };
  beforeEach(async () => {
    holder.world = await startWorld(kind);
  });
  afterEach(async () => {
    await holder.world.close();
  });
  return holder;
}
