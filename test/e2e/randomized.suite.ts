/**
 * Hundreds of interleaved edits on both sides, with faults injected into every sandbox, synced to
 * quiescence; then the promises sellers rely on are checked: every opted-in deal has exactly one referral
 * and every referral one CRM record, both sides agree on every synced field, no terminal state changed,
 * no edit was lost, and one more sync writes nothing. Seeded, so a failure replays exactly.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import { seeded } from '../../sandbox/common/faults.js';
import { OUR_PARTNER_ORG } from '../../sandbox/entra/seed.js';
import { startWorld, type CrmKind, type World } from '../../sandbox/world.js';
import { unwrap } from './lifecycle.suite.js';

const FAULTS: Record<CrmKind, Record<string, number>> = {
  salesforce: { '503': 1, UNABLE_TO_LOCK_ROW: 1 },
  dynamics: { throttle: 1, unavailable: 1, drop: 1 },
};

interface Tracked {
  crmId: string;
  /** The last value a seller typed (the CRM owns the value). */
  value?: number;
  /** Every note fragment appended on either side: none may be lost. */
  tokens: string[];
  closed?: boolean;
}

export function runRandomizedSuite(kind: CrmKind, seed: number, steps: number): void {
  describe(`randomized two-way sync with faults (${kind}, seed ${seed}, ${steps} steps)`, function () {
    this.timeout(300_000);
    let world: World;
    before(async () => {
      world = await startWorld(kind, { fastRetries: true });
    });
    after(async () => world?.close());

    it('keeps every promise after syncing to quiescence', async () => {
      const random = seeded(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
      const deals: Tracked[] = [];
      for (let i = 0; i < 12; i += 1) deals.push({ crmId: await world.seller.createDeal(dealSpec(`Random ${i}`, { notes: `start-${i}` })), tokens: [`start-${i}`] });
      for (let i = 0; i < 4; i += 1) unwrap(world.microsoft.sendReferral({ deal: { dealName: `Random inbound ${i}` } }));

      const setFaults = (on: boolean) => {
        world.set.partnerCenter.faults.configure(on ? { rate: 0.1, kinds: { throttled: 1, 'server-error': 1, unavailable: 1, drop: 1, 'commit-then-error': 1 }, retryAfterSeconds: 0, seed } : undefined);
        const crmFaults = kind === 'salesforce' ? world.set.salesforce.faults : world.set.dataverse.faults;
        crmFaults.configure(on ? { rate: 0.05, kinds: FAULTS[kind], retryAfterSeconds: 0, seed: seed + 1 } : undefined);
      };
      const terminalSeen = new Map<string, string>();
      const observeTerminal = () => {
        for (const r of world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG)) {
          if (r.status !== 'Closed') continue;
          const seen = terminalSeen.get(r.id);
          if (seen) assert.equal(`${r.status}/${r.substatus}`, seen, `referral ${r.id} left its terminal state`);
          else terminalSeen.set(r.id, `${r.status}/${r.substatus}`);
        }
      };

      setFaults(true);
      let token = 0;
      for (let step = 0; step < steps; step += 1) {
        const deal = pick(deals);
        const view = await world.seller.read(deal.crmId);
        const action = random();
        if (view.isClosed || deal.closed) {
          // nothing: a closed deal is left alone by sellers
        } else if (action < 0.3) {
          deal.value = 10_000 + Math.floor(random() * 90_000);
          await world.seller.edit(deal.crmId, { value: deal.value });
        } else if (action < 0.55) {
          token += 1;
          const text = `crm-${token}`;
          deal.tokens.push(text);
          await world.seller.edit(deal.crmId, { notes: `${view.notes ?? ''} ${text}`.trim() });
        } else if (action < 0.8 && view.referralId) {
          token += 1;
          const text = `pc-${token}`;
          deal.tokens.push(text);
          // A colleague appends to the notes in Partner Center itself.
          world.set.partnerCenter.service.change(OUR_PARTNER_ORG, view.referralId, (json) => ({ ok: true, value: { ...json, details: { ...json.details, notes: `${json.details?.notes ?? ''} ${text}`.trim() } } }));
        } else if (action < 0.9) {
          await world.seller.setStage(deal.crmId, pick(['Qualified', 'Developed', 'Proposed', 'Negotiated'] as const));
        } else if (action < 0.95 && view.referralId) {
          await world.seller.lose(deal.crmId, 'customer-no-response');
          deal.closed = true;
        }
        if (step % 10 === 9) {
          await world.sync();
          observeTerminal();
        }
      }

      const injected = { pc: world.set.partnerCenter.faults.injectedCount(), crm: (kind === 'salesforce' ? world.set.salesforce.faults : world.set.dataverse.faults).injectedCount() };
      assert.ok(injected.pc > 0 && injected.crm > 0, `faults must have been injected on both sides: ${JSON.stringify(injected)}`);
      assert.ok(deals.some((d) => d.tokens.some((t) => t.startsWith('pc-'))) && deals.some((d) => d.tokens.some((t) => t.startsWith('crm-'))), 'edits happened on both sides');
      setFaults(false);
      const reports = await world.syncToQuiet({}, 12);
      observeTerminal();
      const last = reports[reports.length - 1]!;
      assert.equal(last.outcome, 'ok', last.message);
      assert.equal(last.writes, 0, `not quiet after ${reports.length} syncs: ${JSON.stringify(last.counts)}`);

      const ours = world.set.partnerCenter.store.ownedBy(OUR_PARTNER_ORG);
      for (const deal of deals) {
        const view = await world.seller.read(deal.crmId);
        const referrals = ours.filter((r) => r.externalReferenceId === deal.crmId);
        assert.equal(referrals.length, 1, `deal ${deal.crmId} has ${referrals.length} referrals`);
        const referral = referrals[0]!;
        assert.equal(view.referralId, referral.id, `deal ${deal.crmId} shows the wrong referral`);
        assert.equal(referral.name, view.name, `name differs for ${deal.crmId}`);
        assert.equal(Number(referral.details?.dealValue), view.value, `value differs for ${deal.crmId}`);
        if (deal.value !== undefined) assert.equal(view.value, deal.value, `the seller's last value was lost on ${deal.crmId}`);
        assert.equal(referral.details?.notes ?? '', view.notes ?? '', `notes differ for ${deal.crmId}`);
        if (!deal.closed) for (const t of deal.tokens) assert.ok((view.notes ?? '').includes(t), `note "${t}" was lost on ${deal.crmId}: ${view.notes}`);
      }
      for (const referral of ours) {
        const records = await world.seller.recordsForReferral(referral.id);
        assert.equal(records.length, 1, `referral ${referral.id} has ${records.length} CRM records`);
      }
    });
  });
}
