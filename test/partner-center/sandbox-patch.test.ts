/**
 * The mapping and the sandbox agree: canonical edits turned into JSON Patch by `patchOperations` and sent
 * with If-Match come back, read through `referralFromApi`, as the canonical referral that was intended.
 */
import assert from 'node:assert/strict';
import { patchOperations, referralFromApi, referralToApi } from '../../connectors/partner-center/mapping.js';
import type { Referral } from '../../core/model/index.js';
import { OTHER_PARTNER_ORG, OUR_PARTNER_ORG, sampleDeal } from '../../sandbox/partner-center/index.js';
import { contact } from '../helpers/partner-center-sandbox-fixtures.js';
import { startPcTestEnv, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

const REFERRALS = '/v1.0/engagements/referrals';

describe('Partner Center mapping against the sandbox', () => {
  let env: PcTestEnv;
  before(async () => {
    env = await startPcTestEnv({ seed: 'none' });
  });
  after(async () => env?.close());

  /** Sends the patch from `current` to `wanted`; returns what the service now holds. */
  const update = async (current: Referral, wanted: Referral): Promise<Referral> => {
    const ops = patchOperations(current, wanted);
    assert.ok(ops.length > 0);
    const res = await env.call('admin', 'PATCH', `${REFERRALS}/${current.referralId}`, { body: ops, headers: { 'if-match': current.eTag!, prefer: 'return=representation' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return referralFromApi(res.body);
  };
  /** What the service owns: identity of the write and the answers of the other parties. */
  const serverOwned = (r: Referral) => ({ ...r, eTag: undefined, updatedAt: undefined, microsoft: undefined, invitations: r.invitations.map((i) => ({ ...i, status: undefined })) });

  it('carries value, notes, team additions and removals, a co-sell upgrade, a P2P invitation and a win', async () => {
    const orgs = env.pc.service.orgs;
    const created = await env.call('admin', 'POST', REFERRALS, { body: referralToApi(sampleDeal(orgs, OUR_PARTNER_ORG, { crmId: 'CRM-PATCH-1', team: [contact('Sam', 'Seller'), contact('Avery', 'Admin')] })) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    let current = referralFromApi(created.body);

    const steps: [string, (r: Referral) => Referral][] = [
      ['value and notes', (r) => ({ ...r, value: 300_000, notes: 'Scope grew' })],
      ['a team member added and one edited', (r) => ({ ...r, team: [{ ...r.team[0]!, phone: '+1 206 555 0199' }, r.team[1]!, contact('Kim', 'Akers')] })],
      ['a team member removed (whole-array replace)', (r) => ({ ...r, team: [r.team[0]!, r.team[2]!] })],
      ['upgrade to co-sell', (r) => ({ ...r, helpType: 'proof-of-concept', notesToMicrosoft: 'A PoC on Azure', dealType: 'co-sell' })],
      ['a stage', (r) => ({ ...r, salesStage: 'Qualified' })],
      ['a solution added with amounts', (r) => ({ ...r, solutions: [...r.solutions, { id: 'SOL-1234-PQRS', kind: 'own', currency: 'USD', price: 12.5, quantity: 40, incentiveEligible: true }] })],
      ['a partner invited', (r) => ({ ...r, invitations: [{ partner: { id: OTHER_PARTNER_ORG, name: 'Fabrikam Partner' }, value: 20_000, currency: 'USD', closeDate: '2027-03-31', team: [r.team[0]!], solutions: [{ id: 'SOL-2001-FABR', kind: 'other-partner' }] }] })],
      ['won', (r) => ({ ...r, status: 'Closed', substatus: 'Won', salesStage: 'Won' })],
    ];
    for (const [label, edit] of steps) {
      const wanted = edit(current);
      const stored = await update(current, wanted);
      assert.deepEqual(serverOwned(stored), serverOwned(wanted), label);
      assert.notEqual(stored.eTag, current.eTag, label);
      current = stored;
    }
    assert.equal(current.microsoft?.status, 'Pending', 'the co-sell request reached Microsoft');
    assert.equal(current.invitations[0]?.status, 'Pending', 'the invitation reached Fabrikam');
  });

  it('gets a 412 for a stale eTag, so the engine re-reads and merges', async () => {
    const created = await env.call('admin', 'POST', REFERRALS, { body: referralToApi(sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG)) });
    const first = referralFromApi(created.body);
    await update(first, { ...first, notes: 'one' });
    const res = await env.call('admin', 'PATCH', `${REFERRALS}/${first.referralId}`, { body: patchOperations(first, { ...first, notes: 'two' }), headers: { 'if-match': first.eTag! } });
    assert.equal(res.status, 412);
  });
});
