/**
 * The create intents of CRM records about to be created for referrals: stored before the create is sent,
 * so that a crash after the call finds them and searches first, and the next sync binds each new record to
 * its referral as the connector's own create (core/engine/binding.ts). The sync's Partner Center phase and
 * `cosell import --to-crm` both create CRM records for referrals, and both record them here.
 */
import type { CreateIntent } from './state-store.js';

/** A store or transaction, synchronous (the single install's) or not (the engine's); only whether an intent exists is read. */
export interface IntentStore {
  getIntent(target: 'crm', sourceId: string): unknown;
  putIntent(intent: CreateIntent & { target: 'crm' }): unknown;
}

/** Records an intent for each referral that has none yet (a retried create keeps its first one). */
export async function recordCrmCreateIntents(store: IntentStore, referralIds: Iterable<string>, createdAt: string): Promise<void> {
  for (const sourceId of referralIds) if (!(await store.getIntent('crm', sourceId))) await store.putIntent({ target: 'crm', sourceId, createdAt, attempts: 1 });
}
