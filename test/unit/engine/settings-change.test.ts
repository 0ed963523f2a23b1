/**
 * What a settings change does to parked records (core/engine/settings-change.ts) and which edits count as one
 * (config/settings-digest.ts): a digest of the CRM section and the sync section's decision keys.
 */
import assert from 'node:assert/strict';
import { settingsDigest } from '../../../config/settings-digest.js';
import type { CosellConfig } from '../../../config/schema.js';
import type { RunContext } from '../../../core/engine/context.js';
import { retryParkedAfterSettingsChange, SETTINGS_META } from '../../../core/engine/settings-change.js';
import { asyncStateStore } from '../../../core/store/async-over-sync.js';
import { openMemoryStore } from '../../../core/store/memory-store.js';
import type { AsyncStateStore } from '../../../core/store/async-state-store.js';
import type { ParkedRecord } from '../../../core/store/state-store.js';

const NOW = '2026-03-02T08:00:00.000Z';
const LATER = '2026-03-02T08:10:00.000Z';

describe('settings changes and parked records', () => {
  describe('settingsDigest', () => {
    const base = (): Pick<CosellConfig, 'crm' | 'sync'> => ({
      crm: { kind: 'salesforce', salesforce: { instanceUrl: 'https://contoso.my.salesforce.com', stageMap: { Prospecting: 'Qualified' } } },
      sync: { conflictPolicy: 'newest-wins', holdWonHours: 72, intervalMinutes: 5, stopGraceSeconds: 8 },
    });

    it('changes with a decision: a default location, the conflict policy, a CRM mapping', () => {
      const digest = settingsDigest(base());
      assert.notEqual(settingsDigest({ ...base(), sync: { ...base().sync, defaultLocation: 'loc-us-redmond' } }), digest);
      assert.notEqual(settingsDigest({ ...base(), sync: { ...base().sync, conflictPolicy: 'crm-wins' } }), digest);
      assert.notEqual(settingsDigest({ ...base(), crm: { kind: 'salesforce', salesforce: { instanceUrl: 'https://contoso.my.salesforce.com', stageMap: { Prospecting: 'Developed' } } } }), digest);
    });

    it('does not change with run pacing (interval, stop grace, call budget) or the order of keys', () => {
      const digest = settingsDigest(base());
      assert.equal(settingsDigest({ ...base(), sync: { ...base().sync, intervalMinutes: 1, stopGraceSeconds: 30, partnerCenterCallBudget: 500 } }), digest);
      const reordered = { sync: { stopGraceSeconds: 8, intervalMinutes: 5, holdWonHours: 72, conflictPolicy: 'newest-wins' as const }, crm: { salesforce: { stageMap: { Prospecting: 'Qualified' }, instanceUrl: 'https://contoso.my.salesforce.com' }, kind: 'salesforce' } };
      assert.equal(settingsDigest(reordered), digest);
    });
  });

  describe('retryParkedAfterSettingsChange', () => {
    let store: AsyncStateStore;
    const parked = (recordId: string, retryAt?: string): ParkedRecord => ({ side: 'crm', recordId, reasons: [{ code: 'location.missing', field: 'location', message: 'no location', severity: 'error' }], fingerprint: 'f', parkedAt: NOW, attempts: 2, ...(retryAt ? { retryAt } : {}) });
    const ctx = (settingsDigest: string | undefined, dryRun = false) => ({ store, nowIso: NOW, options: settingsDigest ? { settingsDigest } : {}, ...(dryRun ? { plan: [] } : {}) }) as unknown as RunContext;

    beforeEach(async () => {
      store = asyncStateStore(openMemoryStore());
      await store.transaction(async (tx) => {
        await tx.park(parked('006A', LATER));
        await tx.park(parked('006B'));
      });
    });

    it('keeps the first digest it sees and retries nothing: nothing says the settings changed', async () => {
      assert.equal(await retryParkedAfterSettingsChange(ctx('d1')), 0);
      assert.equal(await store.getMeta(SETTINGS_META), 'd1');
      assert.deepEqual(await store.dueParked(NOW), []);
    });

    it('makes every parked record due now when the digest differs from the last run', async () => {
      await retryParkedAfterSettingsChange(ctx('d1'));
      assert.equal(await retryParkedAfterSettingsChange(ctx('d2')), 2);
      assert.deepEqual((await store.dueParked(NOW)).map((p) => [p.recordId, p.retryAt, p.attempts]), [['006A', NOW, 2], ['006B', NOW, 2]]);
      assert.equal(await store.getMeta(SETTINGS_META), 'd2');
      assert.equal(await retryParkedAfterSettingsChange(ctx('d2')), 0, 'the same settings again: nothing more');
    });

    it('changes nothing in a dry run or without a digest', async () => {
      await retryParkedAfterSettingsChange(ctx('d1'));
      assert.equal(await retryParkedAfterSettingsChange(ctx('d2', true)), 0);
      assert.equal(await retryParkedAfterSettingsChange(ctx(undefined)), 0);
      assert.equal(await store.getMeta(SETTINGS_META), 'd1');
      assert.deepEqual(await store.dueParked(NOW), []);
    });
  });
});
