/**
 * Several organisations in one engagement: Microsoft and another partner send us referrals and answer
 * ours, through the API with their own users' tokens and through the sandbox controls; visibility
 * follows roles; the movable clock drives the 14-day windows.
 */
import assert from 'node:assert/strict';
import { MICROSOFT_ORG, OTHER_PARTNER_ORG, OUR_PARTNER_ORG, sampleDeal } from '../../sandbox/partner-center/index.js';
import { referralToApi } from '../../connectors/partner-center/mapping.js';
import { innerCodes, startPcTestEnv, type ErrorBody, type PcTestEnv } from '../helpers/partner-center-sandbox.js';

const REFERRALS = '/v1.0/engagements/referrals';
const CONTROLS = '/_sandbox/partner-center';
const DAY_MS = 86_400_000;
type Json = Record<string, unknown>;

describe('Partner Center sandbox: engagements between organisations', () => {
  let env: PcTestEnv;
  beforeEach(async () => {
    env = await startPcTestEnv({ seed: 'none' });
  });
  afterEach(async () => env?.close());

  it('Microsoft sends us a referral through the API with its own token; we see it New/Pending and accept it', async () => {
    const deal = referralToApi(sampleDeal(env.pc.service.orgs, MICROSOFT_ORG, { dealName: 'From a Microsoft seller' }));
    const sent = await env.call('microsoft', 'POST', REFERRALS, { body: { ...deal, target: [{ type: 'BusinessProfileLocation', id: OUR_PARTNER_ORG }] } });
    assert.equal(sent.status, 201);
    const inbound = await env.call<{ value: Json[] }>('admin', 'GET', `${REFERRALS}?$filter=${encodeURIComponent(`engagementId eq '${String(sent.body.engagementId)}'`)}`);
    const ours = inbound.body.value[0]!;
    assert.deepEqual([ours.direction, ours.status, ours.substatus, ours.dealType], ['Incoming', 'New', 'Pending', 'CoSell']);
    assert.deepEqual((ours.inviteContext as { invitedBy: Json }).invitedBy, { organizationId: MICROSOFT_ORG, organizationName: 'Microsoft' });
    assert.equal(Date.parse(String(ours.expirationDateTime)) - Date.parse(String(ours.createdDateTime)), 14 * DAY_MS);
    const accepted = await env.call('admin', 'PATCH', `${REFERRALS}/${String(ours.id)}`, {
      body: [{ op: 'replace', path: '/status', value: 'Active' }, { op: 'replace', path: '/substatus', value: 'Accepted' }],
      headers: { prefer: 'return=representation' },
    });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.substatus, 'Accepted');
    // Microsoft cannot read our referral: each organisation sees its own.
    assert.equal((await env.call('microsoft', 'GET', `${REFERRALS}/${String(ours.id)}`)).status, 404);
  });

  it('a co-sell request reaches Microsoft; Microsoft takes it up through the API, then marks its side won', async () => {
    const deal = referralToApi(sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG, { dealType: 'co-sell', helpType: 'proof-of-concept' }));
    const created = await env.call('admin', 'POST', REFERRALS, { body: deal });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((created.body.microsoftEngagement as Json).status, 'Pending');
    const msftList = await env.call<{ value: Json[] }>('microsoft', 'GET', `${REFERRALS}?$filter=${encodeURIComponent(`engagementId eq '${String(created.body.engagementId)}'`)}`);
    const msftCopy = msftList.body.value[0]!;
    assert.equal(msftCopy.direction, 'Incoming');
    const take = await env.call('microsoft', 'PATCH', `${REFERRALS}/${String(msftCopy.id)}`, { body: [{ op: 'replace', path: '/status', value: 'Active' }, { op: 'replace', path: '/substatus', value: 'Accepted' }] });
    assert.equal(take.status, 204);
    const ours = await env.call('admin', 'GET', `${REFERRALS}/${String(created.body.id)}`);
    assert.equal((ours.body.microsoftEngagement as Json).status, 'Accepted');
    assert.notEqual(ours.body.eTag, created.body.eTag, 'Microsoft’s answer is a write on our referral too');
    const won = await env.call(null, 'POST', `${CONTROLS}/act/microsoft/respond`, { body: { referralId: created.body.id, decision: 'won' } });
    assert.equal(won.status, 200);
    assert.equal((env.pc.store.get(String(created.body.id))!.microsoftEngagement as Json).status, 'Won');
  });

  it('refuses our own attempt to set Microsoft’s status (read-only for partners)', async () => {
    const created = env.pc.actAs(OUR_PARTNER_ORG).create(sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG, { dealType: 'co-sell', helpType: 'general' }));
    assert.ok(created.ok);
    const res = await env.call<ErrorBody>('admin', 'PATCH', `${REFERRALS}/${created.value.id}`, { body: [{ op: 'replace', path: '/microsoftEngagement/status', value: 'Accepted' }] });
    assert.equal(res.status, 400);
    assert.deepEqual(innerCodes(res.body), ['microsoft.read_only']);
  });

  it('a partner sends us a P2P referral through the controls; our answer shows on their invitation', async () => {
    const sent = await env.call(null, 'POST', `${CONTROLS}/act/partner/send`, { body: { locationId: 'loc-de-munich' } });
    assert.equal(sent.status, 200);
    assert.deepEqual([sent.body.organizationId, sent.body.direction, sent.body.dealType, sent.body.locationId], [OUR_PARTNER_ORG, 'Incoming', 'PartnerToPartner', 'loc-de-munich']);
    const declined = await env.call<ErrorBody>('admin', 'PATCH', `${REFERRALS}/${String(sent.body.id)}`, { body: [{ op: 'replace', path: '/status', value: 'Closed' }, { op: 'replace', path: '/substatus', value: 'Declined' }] });
    assert.deepEqual(innerCodes(declined.body), ['close_reason.required'], 'a decline needs a reason');
    const ok = await env.call('admin', 'PATCH', `${REFERRALS}/${String(sent.body.id)}`, {
      body: [{ op: 'replace', path: '/status', value: 'Closed' }, { op: 'replace', path: '/substatus', value: 'Declined' }, { op: 'add', path: '/statusReasonCode', value: 'NotACustomer' }],
    });
    assert.equal(ok.status, 204);
    const theirs = env.pc.store.inEngagement(String(sent.body.engagementId)).find((r) => r.organizationId === OTHER_PARTNER_ORG)!;
    assert.equal(theirs.partnerInvitations?.[0]?.substatus, 'Declined');
  });

  it('we invite Fabrikam to an outbound deal (P2P); Microsoft can invite a partner to its own referral', async () => {
    const deal = sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG);
    const created = env.pc.actAs(OUR_PARTNER_ORG).create(deal);
    assert.ok(created.ok);
    const invitation = { organizationId: OTHER_PARTNER_ORG, organizationName: 'Fabrikam', dealValue: 10000, currency: 'USD', closingDateTime: '2027-01-31T00:00:00Z', team: created.value.team, solutions: [{ id: 'SOL-2001-FABR', solutionType: '3P' }] };
    const res = await env.call('admin', 'PATCH', `${REFERRALS}/${created.value.id}`, { body: [{ op: 'add', path: '/partnerInvitations/-', value: invitation }], headers: { prefer: 'return=representation' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.dealType, 'PartnerToPartner');
    assert.equal((res.body.partnerInvitations as Json[])[0]!.substatus, 'Pending');
    const fabrikamView = await env.call<{ value: Json[] }>('otherPartner', 'GET', `${REFERRALS}?$filter=${encodeURIComponent("direction eq 'Incoming'")}`);
    assert.equal(fabrikamView.body.value.length, 1);
    assert.equal((fabrikamView.body.value[0]!.details as Json).dealValue, 10000);

    // Microsoft invites Fabrikam to its own referral through the API: a new target.
    const fromMicrosoft = env.pc.actAs(MICROSOFT_ORG).sendReferral();
    assert.ok(fromMicrosoft.ok);
    const msftReferral = env.pc.store.inEngagement(fromMicrosoft.value.engagementId).find((r) => r.organizationId === MICROSOFT_ORG)!;
    const invited = await env.call('microsoft', 'PATCH', `${REFERRALS}/${msftReferral.id}`, { body: [{ op: 'add', path: '/target/-', value: { type: 'BusinessProfileLocation', id: OTHER_PARTNER_ORG } }] });
    assert.equal(invited.status, 204, JSON.stringify(invited.body));
    assert.ok(env.pc.store.inEngagement(fromMicrosoft.value.engagementId).some((r) => r.organizationId === OTHER_PARTNER_ORG && r.direction === 'Incoming'));
  });

  it('visibility: an admin sees every deal of the company; a Referrals User only deals they are on, in their locations', async () => {
    const orgs = env.pc.service.orgs;
    const sam = { firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam@contoso-partner.example' };
    const names = ['Sam in Redmond', 'Sam in Munich', 'Not Sam in Redmond'];
    env.pc.actAs(OUR_PARTNER_ORG).create(sampleDeal(orgs, OUR_PARTNER_ORG, { dealName: names[0], location: 'loc-us-redmond', team: [sam] }));
    env.pc.actAs(OUR_PARTNER_ORG).create(sampleDeal(orgs, OUR_PARTNER_ORG, { dealName: names[1], location: 'loc-de-munich', team: [sam] }));
    env.pc.actAs(OUR_PARTNER_ORG).create(sampleDeal(orgs, OUR_PARTNER_ORG, { dealName: names[2], location: 'loc-us-redmond' }));
    const admin = await env.call<{ value: Json[] }>('admin', 'GET', REFERRALS);
    assert.deepEqual(admin.body.value.map((r) => r.name).sort(), [...names].sort());
    const seller = await env.call<{ value: Json[] }>('seller', 'GET', REFERRALS);
    assert.deepEqual(seller.body.value.map((r) => r.name), ['Sam in Redmond']);
    const hidden = env.pc.store.ownedBy(OUR_PARTNER_ORG).find((r) => r.name === 'Sam in Munich')!;
    assert.equal((await env.call('seller', 'GET', `${REFERRALS}/${hidden.id}`)).status, 404);
    const elsewhere = await env.call<ErrorBody>('seller', 'POST', REFERRALS, { body: { ...referralToApi(sampleDeal(orgs, OUR_PARTNER_ORG, { team: [sam] })), locationId: 'loc-jp-tokyo' } });
    assert.equal(elsewhere.status, 403);
    assert.equal(elsewhere.body.error.code, 'accessDenied');
  });

  it('expires an unanswered inbound referral after 14 days, lazily on read, and tells the sender', async () => {
    const sent = env.pc.actAs(OTHER_PARTNER_ORG).sendReferral();
    assert.ok(sent.ok);
    env.clock.advance(13 * DAY_MS);
    assert.equal((await env.call('admin', 'GET', `${REFERRALS}/${sent.value.id}`)).body.substatus, 'Pending');
    env.clock.advance(1 * DAY_MS + 1000);
    const read = await env.call('admin', 'GET', `${REFERRALS}/${sent.value.id}`);
    assert.deepEqual([read.body.status, read.body.substatus], ['Closed', 'Expired']);
    const theirs = env.pc.store.inEngagement(sent.value.engagementId).find((r) => r.organizationId === OTHER_PARTNER_ORG)!;
    assert.equal(theirs.partnerInvitations?.[0]?.substatus, 'Expired');
    const late = await env.call<ErrorBody>('admin', 'PATCH', `${REFERRALS}/${sent.value.id}`, { body: [{ op: 'replace', path: '/status', value: 'Active' }, { op: 'replace', path: '/substatus', value: 'Accepted' }] });
    assert.equal(late.status, 409);
    assert.deepEqual(new Set(innerCodes(late.body)), new Set(['terminal.locked']));
  });

  it('Microsoft’s 14 days to take up a co-sell request run out on the movable clock (control)', async () => {
    const created = env.pc.actAs(OUR_PARTNER_ORG).create(sampleDeal(env.pc.service.orgs, OUR_PARTNER_ORG, { dealType: 'co-sell', helpType: 'general' }));
    assert.ok(created.ok);
    const moved = await env.call(null, 'POST', `${CONTROLS}/clock`, { body: { advanceDays: 15 } });
    assert.ok(Number(moved.body.expired) >= 1);
    assert.equal(env.pc.store.get(created.value.id)!.microsoftEngagement?.status, 'Expired');
    const tooLate = env.pc.actAs(MICROSOFT_ORG).respond(created.value.id, 'accept');
    assert.equal(tooLate.ok, false);
  });
});
