/**
 * The engine against in-memory fakes of both sides, on a clock the test moves: for engine tests that need
 * no sandbox (test/unit/engine/).
 */
import type { EngineOptions } from '../../core/engine/context.js';
import { runSyncOnce } from '../../core/engine/sync-engine.js';
import { silentLogger } from '../../core/logger.js';
import { openMemoryStore, type StateStore } from '../../core/store/index.js';
import { FakeCrm } from './fake-crm.js';
import { FakePartnerCenter } from './fake-partner-center.js';

/**
 * `store`: the state store to sync with (a fresh memory store unless given, e.g. an upgraded SQLite file);
 * `makeCrm`: the fake CRM (a FakeCrm subclass that fails or answers in its own way).
 */
export function fakeWorld<C extends FakeCrm = FakeCrm>(
  options: Partial<EngineOptions> = {},
  parts: { store?: StateStore; makeCrm?: (now: () => Date) => C } = {},
) {
  const store = parts.store ?? openMemoryStore();
  const makeCrm = parts.makeCrm ?? ((now: () => Date) => new FakeCrm(now) as C);
  let nowMs = Date.parse('2026-03-02T08:00:00.000Z');
  const now = () => new Date(nowMs);
  const crm = makeCrm(now);
  const pc = new FakePartnerCenter(now);
  return {
    crm,
    pc,
    store,
    sync: () => runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now }, options),
    advance: (ms: number) => void (nowMs += ms),
    iso: () => now().toISOString(),
    /** The CRM records that carry this referral ID. */
    opportunitiesFor: (referralId: string) => [...crm.records.values()].filter((o) => o.status?.referralId === referralId),
  };
}

export type FakeWorld = ReturnType<typeof fakeWorld>;
