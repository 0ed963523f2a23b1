/**
 * An inbound referral from Microsoft synced into the fake CRM and linked, for engine unit tests that then
 * edit one side or both: the fake services, the store, a sync of them, and the linked record.
 */
import type { ConflictPolicy } from '../../core/engine/merge/three-way.js';
import { runSyncOnce } from '../../core/engine/sync-engine.js';
import { silentLogger } from '../../core/logger.js';
import { openMemoryStore } from '../../core/store/index.js';
import { FakeCrm } from './fake-crm.js';
import { FakePartnerCenter } from './fake-partner-center.js';
import { inboundFromMicrosoft } from './referrals.js';

export async function linkedInboundPair(policy: ConflictPolicy, fieldLabels: Record<string, string> = {}) {
  let nowMs = Date.parse('2026-03-02T08:00:00.000Z');
  const now = () => new Date((nowMs += 1000));
  const crm = new FakeCrm(now);
  crm.fieldLabels = fieldLabels;
  const pc = new FakePartnerCenter(now);
  const store = openMemoryStore();
  const sync = () => runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now }, { policy, holdWonHours: 72 });
  const sent = pc.receive(inboundFromMicrosoft({ referralId: undefined, crmId: undefined }));
  await sync();
  await sync();
  const opportunity = [...crm.records.values()].find((o) => o.status?.referralId === sent.referralId)!;
  return { crm, pc, store, sync, referralId: sent.referralId!, opportunity };
}
