/**
 * The bases recordPair stores (pair-record.ts `rebase`, `crmBoundBase`), built in one copy each: they must
 * hold what the chain of copies they replaced held, step by step (every synced unit from the merge, the
 * units Partner Center did not take back from the old base, Partner Center's contact while consent is not
 * given, the record's invitation requests), whatever mix of those a pair has. Pure.
 */
import assert from 'node:assert/strict';
import { crmBoundBase, rebase } from '../../../core/engine/pair-record.js';
import { withUnits, writeUnit } from '../../../core/engine/merge/units.js';
import type { Referral } from '../../../core/model/referral.js';
import { SYNC_FIELDS } from '../../../mappings/field-ownership.js';
import { outboundDeal } from '../../helpers/referrals.js';

const SYNC_UNITS = SYNC_FIELDS.map((f) => f.unit);

/** The requests step as it was: the key taken out, then set to a copy when there are requests. */
function withRequests(base: Referral, requests: readonly string[] | undefined): Referral {
  const { crmInvitationRequests: _previous, ...rest } = base;
  return requests === undefined ? rest : { ...rest, crmInvitationRequests: [...requests] };
}

/** The new base as the chain of copies built it. */
function rebaseStepwise(pcAfter: Referral, merged: Referral, oldBase: Referral, unsent: readonly string[], requests: readonly string[] | undefined): Referral {
  const base = withRequests(withUnits(withUnits(pcAfter, merged, SYNC_UNITS), oldBase, unsent), requests);
  return merged.consentToShareContacts ? base : writeUnit(base, 'customerContact', pcAfter.customerContact);
}

const oldBase = outboundDeal({ value: 100, notes: 'old notes', closeDate: '2026-05-01', crmInvitationRequests: ['p-1'], customer: { name: 'Contoso', city: 'Redmond', country: 'US' } });
const pcAfter = outboundDeal({ value: 200, notes: 'partner notes', eTag: '"7"', updatedAt: '2026-03-02T08:00:00.000Z', customerContact: { firstName: 'Pat', lastName: 'Lee', email: 'pat@customer.example', phone: '+1 555 0101' } });
const merged = outboundDeal({ value: 300, notes: 'merged notes', status: 'Closed', substatus: 'Won', salesStage: 'Won', closeDate: '2026-06-01', customer: { name: 'Contoso Ltd', city: 'Seattle', country: 'US' } });

describe('recordPair: the bases it stores', () => {
  const cases: { name: string; merged: Referral; unsent: string[]; requests: string[] | undefined; toCrm: string[]; oldBase: Referral }[] = [
    { name: 'everything sent, no requests', merged, unsent: [], requests: undefined, toCrm: [], oldBase },
    { name: 'units left unsent, requests on the record', merged, unsent: ['value', 'status', 'customer.city'], requests: ['p-2', 'p-3'], toCrm: ['closeDate', 'notes'], oldBase },
    { name: 'no consent: Partner Center keeps its contact', merged: { ...merged, consentToShareContacts: false }, unsent: ['salesStage'], requests: [], toCrm: ['status', 'customerContact'], oldBase },
    { name: 'an old base without requests', merged: { ...merged, consentToShareContacts: false }, unsent: ['customerContact'], requests: ['p-1'], toCrm: ['value'], oldBase: withRequests(oldBase, undefined) },
  ];
  for (const c of cases) {
    it(`holds what the chain of copies held: ${c.name}`, () => {
      const built = rebase(pcAfter, c.merged, c.oldBase, c.unsent, c.requests);
      const stepwise = rebaseStepwise(pcAfter, c.merged, c.oldBase, c.unsent, c.requests);
      assert.deepEqual(built, stepwise);
      assert.deepEqual(crmBoundBase(built, c.oldBase, c.toCrm), withRequests(withUnits(stepwise, c.oldBase, c.toCrm), c.oldBase.crmInvitationRequests));
      // No key left holding undefined: the stored JSON and a deep comparison read the same.
      assert.ok(Object.values(built).every((v) => v !== undefined));
      // Copies, never the inputs' own request arrays.
      if (c.requests) assert.notEqual(built.crmInvitationRequests, c.requests);
    });
  }
});
