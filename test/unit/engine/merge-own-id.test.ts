/**
 * The CRM record's ID on the referral (`crmId`) is set by the connector alone: the CRM record's own ID is
 * the truth. A copy emptied or changed in Partner Center (a stale bulk CSV export re-imported, a typo in an
 * import file) is put back by the next sync, and never taken into the CRM. Before, an emptied one read as
 * no opinion and another ID as an edit of a CRM-owned field, and the record said synced either way.
 */
import assert from 'node:assert/strict';
import { mergeReferral } from '../../../core/engine/merge/three-way.js';
import { outboundDeal } from '../../helpers/referrals.js';

const merge = (pcCrmId: string | undefined) => {
  const pc = outboundDeal({ crmId: 'OPP-1' }) as unknown as Record<string, unknown>;
  if (pcCrmId === undefined) delete pc.crmId;
  else pc.crmId = pcCrmId;
  return mergeReferral({
    base: outboundDeal({ crmId: 'OPP-1' }),
    crm: outboundDeal({ crmId: 'OPP-1' }),
    pc: pc as unknown as ReturnType<typeof outboundDeal>,
    policy: 'newest-wins',
    crmModifiedAt: '2026-02-01T10:00:00.000Z',
    pcUpdatedAt: '2026-02-01T11:00:00.000Z',
  });
};

describe('three-way merge: the CRM record ID on the referral', () => {
  it('puts back an ID emptied in Partner Center', () => {
    const result = merge(undefined);
    assert.equal(result.merged.crmId, 'OPP-1');
    assert.deepEqual(result.toPartnerCenter, ['crmId']);
    assert.deepEqual(result.toCrm, []);
  });

  it('puts back another ID written in Partner Center, and never takes it into the CRM', () => {
    const result = merge('OPP-OTHER');
    assert.equal(result.merged.crmId, 'OPP-1');
    assert.deepEqual(result.toPartnerCenter, ['crmId']);
    assert.deepEqual(result.toCrm, []);
  });

  it('sends nothing while Partner Center holds the record\'s ID', () => {
    const result = merge('OPP-1');
    assert.deepEqual([result.toPartnerCenter, result.toCrm], [[], []]);
  });
});
