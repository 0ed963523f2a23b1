/**
 * A sync message longer than the record's message field (Salesforce 255 characters, Dynamics 365 2,000) is
 * cut between words and ends by saying where the whole message is: "(cosell explain shows all)". Until
 * 2026-12-06 Dynamics 365 cut it at 1,999 characters mid-word with a bare ellipsis and no pointer, while
 * Salesforce said where the rest was. The cut form is what the record shows: the next sync writes nothing.
 */
import assert from 'node:assert/strict';
import { dealSpec } from '../../sandbox/consoles/deal-spec.js';
import type { CrmKind } from '../../sandbox/world.js';
import { worldPerTest } from '../helpers/world-per-test.js';

const FIELD_LENGTH: Record<CrmKind, number> = { salesforce: 255, dynamics: 2000 };
const POINTER = '… (cosell explain shows all)';

for (const kind of ['salesforce', 'dynamics'] as CrmKind[]) describe(`a sync message too long for the record's field (${kind}, end to end)`, function () {
  this.timeout(120_000);
  const each = worldPerTest(kind);

  it('is cut between words and points to cosell explain; the next sync writes nothing', async () => {
    const { world } = each;
    // Forty team members with a bad email: one reason each, far more than either field holds.
    const team = Array.from({ length: 40 }, (_, i) => ({ firstName: `Member${i}`, lastName: 'Seller', phone: '+1 425 555 0101', email: `not-an-email-${i}` }));
    const crmId = await world.seller.createDeal(dealSpec('Long refusal', { team }));
    const reports = await world.syncToQuiet();
    const view = await world.seller.read(crmId);
    assert.equal(view.syncState, 'error');
    const message = view.syncMessage ?? '';
    assert.ok(message.length <= FIELD_LENGTH[kind], `${message.length} characters`);
    assert.ok(message.endsWith(POINTER), `the cut message says where the rest is: …${message.slice(-60)}`);
    const kept = message.slice(0, -POINTER.length);
    assert.ok(kept.lastIndexOf('[') < kept.lastIndexOf(']'), `no rule code shown half: …${kept.slice(-40)}`);
    assert.equal(reports.at(-1)!.writes, 0, 'the cut message is what the record shows: nothing written again');
  });
});
