/**
 * A CRM page's creates record their intents together before the first one is sent (crm-create.ts): one
 * store transaction for the page instead of one per deal, and still every intent in the store before its
 * create reaches Partner Center, so a crash midway never makes a duplicate.
 */
import assert from 'node:assert/strict';
import { runSyncOnce } from '../../../core/engine/sync-engine.js';
import { silentLogger } from '../../../core/logger.js';
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../../core/store/index.js';
import { FakeCrm } from '../../helpers/fake-crm.js';
import { FakePartnerCenter } from '../../helpers/fake-partner-center.js';
import { outboundDeal } from '../../helpers/referrals.js';

const DEALS = 30;

describe('create intents of a CRM page', () => {
  it('are stored in one transaction, all before the first create is sent, and cleared once linked', async () => {
    const now = () => new Date('2026-03-02T08:00:00.000Z');
    const crm = new FakeCrm(now);
    const pc = new FakePartnerCenter(now);
    const store = openMemoryStore();
    const crmIds = Array.from({ length: DEALS }, (_, i) => crm.add(outboundDeal({ dealName: `Deal ${i}`, referralId: undefined, engagementId: undefined, crmId: undefined, createdAt: undefined, updatedAt: undefined, acceptedAt: undefined })));

    // The intents in the store each time Partner Center is asked to create a referral.
    const intentsAtCreate: number[] = [];
    const create = pc.createIdempotent.bind(pc);
    pc.createIdempotent = async (...args: Parameters<typeof create>) => {
      intentsAtCreate.push(store.listIntents().filter((i) => i.target === 'referral').length);
      return create(...args);
    };
    // Transactions that stored a referral intent.
    const asyncStore = asyncStateStore(store);
    const transaction = asyncStore.transaction.bind(asyncStore);
    let intentTransactions = 0;
    asyncStore.transaction = async (work) => transaction(async (tx) => {
      let putIntent = false;
      const result = await work({ ...tx, putIntent: async (intent) => ((putIntent = true), tx.putIntent(intent)) } as typeof tx);
      if (putIntent) intentTransactions += 1;
      return result;
    });

    const report = await runSyncOnce({ crm, partnerCenter: pc, store, logger: silentLogger(), now });
    assert.equal(report.outcome, 'ok');
    assert.equal(report.counts.pcCreated, DEALS);
    assert.equal(intentTransactions, 1, 'one transaction for the page, not one per deal');
    assert.deepEqual(intentsAtCreate, Array(DEALS).fill(DEALS), 'every intent stored before the first create');
    assert.equal(store.listIntents().length, 0, 'each intent cleared with its link');
    for (const crmId of crmIds) assert.ok(store.getLinkByCrmId(crmId), crmId);
  });
});
